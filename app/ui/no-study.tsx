import { useT } from "~/i18n/i18n";
import { Notice } from "./notice";
import { PageHeader } from "./page-header";

/** What a company page shows before any study the company took part in is published. */
export function NoStudy({ title }: { title: string }) {
  const t = useT();
  return (
    <div className="space-y-6">
      <PageHeader title={title} />
      <Notice tone="info" live={false}>
        {t("overview.noStudy.body")}
      </Notice>
    </div>
  );
}
