import { formatDateTime } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { Notice } from "./notice";

/** The study a company page shows, as the loader sends it (dates arrive as ISO strings). */
export interface ShownStudy {
  year: number;
  name: string;
  status: "review" | "published";
  reviewUntil: string | Date | null;
  /** whether queries can still be raised (decided on the server, at the request's time) */
  reviewOpen: boolean;
}

/** "(foreløpig)" after a study's name while it is in review: in titles and the study picker. */
export function useStudyName() {
  const t = useT();
  return (study: { name: string; status: string }) => (study.status === "review" ? t("review.studyOption", { name: study.name }) : study.name);
}

/** A small "Foreløpig" tag beside a heading or figure of a study in review. */
export function PreliminaryTag({ study }: { study: { status: string } | null | undefined }) {
  const t = useT();
  if (study?.status !== "review") return null;
  return (
    <span className="ml-2 inline-block rounded border border-amber-700 bg-amber-50 px-1.5 py-0.5 align-middle text-xs font-semibold uppercase tracking-wide text-amber-900">
      {t("review.preliminary")}
    </span>
  );
}

/**
 * The banner of every company page of a study in review (spec/season.md): the figures are
 * preliminary, until when a query can be raised, and that the class figures, ranking and
 * awards come with publication. Nothing for a published study.
 */
export function ReviewBanner({ study }: { study: ShownStudy | null | undefined }) {
  const t = useT();
  const locale = useLocale();
  if (!study || study.status !== "review") return null;
  const deadline = study.reviewUntil ? formatDateTime(new Date(study.reviewUntil), locale) : null;
  return (
    <Notice tone="warning" live={false} title={t("review.banner.title")} id="review-banner">
      {deadline && <p>{t(study.reviewOpen ? "review.banner.open" : "review.banner.closed", { deadline })}</p>}
      <p className={deadline ? "mt-1" : undefined}>{t("review.banner.later")}</p>
    </Notice>
  );
}
