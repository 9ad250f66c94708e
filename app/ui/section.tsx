import type { ReactNode } from "react";

/** A white card: the one surface of the pages. */
export function Card({ className = "", children }: { className?: string; children: ReactNode }) {
  return <div className={`rounded-lg bg-white p-5 shadow ${className}`}>{children}</div>;
}

/**
 * A titled part of a page (a landmark named by its heading). `plain` leaves out the card,
 * e.g. around a DataTable that draws its own box.
 */
export function Section({
  id,
  title,
  description,
  actions,
  level = 2,
  plain = false,
  className = "",
  children,
}: {
  id: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  level?: 2 | 3;
  plain?: boolean;
  className?: string;
  children?: ReactNode;
}) {
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={`${id}-title`} className={`${plain ? "" : "rounded-lg bg-white p-5 shadow"} ${className}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Heading id={`${id}-title`} className={level === 2 ? "text-lg font-semibold" : "font-semibold"}>
            {title}
          </Heading>
          {description && <div className="mt-1 text-sm text-gray-700">{description}</div>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      {children && <div className="mt-3">{children}</div>}
    </section>
  );
}
