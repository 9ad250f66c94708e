import { useT } from "~/i18n/i18n";

/** What a company page shows before any study the company took part in is published. */
export function NoStudy({ title }: { title: string }) {
  const t = useT();
  return (
    <section className="rounded-lg bg-white p-8 shadow">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-gray-700">{t("overview.noStudy.body")}</p>
    </section>
  );
}
