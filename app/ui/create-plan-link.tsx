import { useT } from "~/i18n/i18n";
import { TextLink } from "./button";

/** "Lag tiltaksplan": the plan form with the metric (and a title) filled in. */
export function CreatePlanLink({ metric, name, goalSeconds }: { metric: string; name: string; goalSeconds?: number }) {
  const t = useT();
  const query = new URLSearchParams({ metric, title: name });
  if (goalSeconds !== undefined) query.set("goal", String(goalSeconds));
  return (
    <TextLink to={`/company/plans/new?${query}`} aria-label={t("plans.createFor", { name })} className="whitespace-nowrap text-sm">
      {t("plans.create")}
    </TextLink>
  );
}
