import { useT } from "~/i18n/i18n";
import { Notice } from "./notice";

/** What a company page gets of a pause (companyPause in app/models/studies/pauses.server.ts). */
export interface PausedYear {
  year: number;
  kind: "class" | "company";
  reason: string;
  tookPart: boolean;
}

/**
 * On the overview: the newest year is paused for this company (its own pause or its class's),
 * and why, so an older year below is not mistaken for the newest (spec/season.md).
 */
export function PausedYearNotice({ pause, shownYear }: { pause: PausedYear | null; shownYear: number | null }) {
  const t = useT();
  if (!pause) return null;
  return (
    <Notice tone="info" live={false} title={t(pause.kind === "class" ? "pause.member.class" : "pause.member.company", { year: pause.year })}>
      <p>{t("pause.member.reason", { reason: pause.reason })}</p>
      {shownYear !== null && shownYear !== pause.year && <p>{t("pause.member.older", { year: shownYear })}</p>}
    </Notice>
  );
}
