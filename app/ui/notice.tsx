import type { ReactNode } from "react";

export type NoticeTone = "info" | "success" | "warning" | "error";

const tones: Record<NoticeTone, string> = {
  info: "border-blue-700 bg-blue-50 text-blue-950",
  success: "border-green-700 bg-green-50 text-green-950",
  warning: "border-amber-600 bg-amber-50 text-amber-950",
  error: "border-red-700 bg-red-50 text-red-950",
};

/**
 * The one alert style. An error is announced at once (role=alert); success and info are a
 * polite status; a notice already on the page when it loads can pass `live={false}`.
 */
export function Notice({
  tone,
  title,
  live = true,
  className = "",
  id,
  children,
}: {
  tone: NoticeTone;
  title?: ReactNode;
  live?: boolean;
  className?: string;
  id?: string;
  children?: ReactNode;
}) {
  const role = !live ? undefined : tone === "error" ? "alert" : "status";
  return (
    <div id={id} role={role} className={`rounded-md border-l-4 p-4 ${tones[tone]} ${className}`}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? "mt-1" : undefined}>{children}</div>}
    </div>
  );
}
