import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import * as z from "zod";
import { formatDateTime, formatNumber } from "~/domain/format";
import { CHANNELS, type Channel } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { Button, TextLink } from "./button";
import { DataTable, type Column } from "./data-table";
import { ErrorSummary, SchemaForm, SelectField, TextareaField, useSchemaForm, type FormReply } from "./form";
import { Notice } from "./notice";
import { PanelLoading } from "./panel-loading";
import { Section } from "./section";

// Staff's awards and pauses of one study (spec/season.md, issue 16): the pauses with a form to
// add one and a button to lift each, and the awards, a preview computed on the fly before
// publication or the frozen ones after. Drawn on the study's own awards page
// (/staff/studies/:year/awards, whose loader and action these are) and, loaded by a fetcher,
// on the study page. The forms post to the awards page, which sends the browser back.

export const PAUSE_REASON_MAX = 500;

/** subject: "class:<code>" or "participant:<code>". Messages are catalogue keys. */
export const PauseSchema = z.object({
  subject: z.string({ error: "pause.error.subject" }).regex(/^(class|participant):.+$/, { error: "pause.error.subject" }),
  reason: z.string({ error: "pause.error.reason" }).trim().min(1, { error: "pause.error.reason" }).max(PAUSE_REASON_MAX, { error: "pause.error.reasonLong" }),
});
export const UnpauseSchema = z.object({ pauseId: z.coerce.number().int().positive() });

export interface StaffAwardsData {
  year: number;
  published: boolean;
  pauses: {
    id: number;
    classCode: string | null;
    className: string | null;
    participantCode: string | null;
    participantName: string | null;
    reason: string;
    createdAt: string | Date;
    createdByName: string | null;
  }[];
  classOptions: { code: string; name: string }[];
  companyOptions: { code: string; name: string }[];
  awards: {
    kind: "class" | "channel" | "overall";
    classCode: string | null;
    className: string | null;
    channel: Channel | null;
    participantName: string;
    score: number;
  }[];
  /** Classes with participants this year but no winner (fewer than 3, after pauses). */
  classesWithoutWinner: { code: string; name: string }[];
  hasResults: boolean;
}

export type StaffAwardsAction = { intent: "pause" | "unpause"; reply: FormReply | null };

/** On the study page: the same panels, loaded after the page by a fetcher. */
export function StudyAwardsPanels({ year }: { year: number }) {
  const fetcher = useFetcher<StaffAwardsData>();
  const t = useT();
  const { load } = fetcher;
  useEffect(() => {
    load(`/staff/studies/${year}/awards`);
  }, [load, year]);
  if (!fetcher.data) {
    return <PanelLoading id="awards" title={t("awards.staff.title")} loading={t("awards.staff.loading")} href={`/staff/studies/${year}/awards`} open={t("awards.staff.open")} />;
  }
  return <StaffAwards data={fetcher.data} actionData={null} />;
}

export function StaffAwards({ data, actionData }: { data: StaffAwardsData; actionData: StaffAwardsAction | null }) {
  return (
    <div className="space-y-8">
      <PausePanel data={data} lastResult={actionData?.intent === "pause" ? actionData.reply : null} unpauseReply={actionData?.intent === "unpause" ? actionData.reply : null} />
      <AwardsPanel data={data} />
    </div>
  );
}

function PausePanel({ data, lastResult, unpauseReply }: { data: StaffAwardsData; lastResult: FormReply | null; unpauseReply: FormReply | null }) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const action = `/staff/studies/${data.year}/awards`;
  const [form, fields] = useSchemaForm(PauseSchema, { id: "pause-form", lastResult });
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formAction === action && navigation.formData?.get("intent") === intent;
  type Pause = StaffAwardsData["pauses"][number];
  const columns: Column<Pause>[] = [
    {
      key: "what",
      header: t("pause.staff.what"),
      rowHeader: true,
      cell: (p) => (p.classCode ? t("pause.staff.class", { name: p.className ?? p.classCode, code: p.classCode }) : `${p.participantName} (${p.participantCode})`),
    },
    { key: "reason", header: t("pause.staff.reason"), cell: (p) => p.reason },
    {
      key: "by",
      header: t("pause.staff.byWhen"),
      className: "whitespace-nowrap",
      cell: (p) => `${p.createdByName ?? t("pause.staff.commandLine")}, ${formatDateTime(new Date(p.createdAt), locale)}`,
    },
    {
      key: "lift",
      header: <span className="sr-only">{t("pause.staff.liftShort")}</span>,
      cell: (p) => (
        <Form method="post" action={action}>
          <input type="hidden" name="intent" value="unpause" />
          <input type="hidden" name="pauseId" value={p.id} />
          <Button tone="secondary" small aria-label={t("pause.staff.lift", { name: p.className ?? p.classCode ?? p.participantName ?? "" })}>
            {t("pause.staff.liftShort")}
          </Button>
        </Form>
      ),
    },
  ];
  const unpauseError = unpauseReply?.error?.[""]?.[0];
  return (
    <Section id="pauses" title={t("pause.staff.title")} description={t("pause.staff.help")}>
      {unpauseError && <Notice tone="error">{t(unpauseError as never)}</Notice>}
      <DataTable caption={t("pause.staff.title")} captionHidden columns={columns} rows={data.pauses} rowKey={(p) => String(p.id)} empty={t("pause.staff.none")} />
      <SchemaForm form={form} method="post" action={action} className="mt-4 grid gap-3 md:max-w-xl">
        <ErrorSummary form={form} labels={{ subject: t("pause.staff.subject"), reason: t("pause.staff.reason") }} />
        <input type="hidden" name="intent" value="pause" />
        <SelectField meta={fields.subject} label={t("pause.staff.subject")} help={t("pause.staff.subject.help")}>
          <option value="">–</option>
          <optgroup label={t("pause.staff.classes")}>
            {data.classOptions.map((c) => (
              <option key={c.code} value={`class:${c.code}`}>
                {t("pause.staff.classOption", { name: c.name, code: c.code })}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("pause.staff.companies")}>
            {data.companyOptions.map((c) => (
              <option key={c.code} value={`participant:${c.code}`}>
                {c.name} ({c.code})
              </option>
            ))}
          </optgroup>
        </SelectField>
        <TextareaField meta={fields.reason} label={t("pause.staff.reason")} help={t("pause.staff.reason.help")} rows={2} maxLength={PAUSE_REASON_MAX} />
        <div>
          <Button busy={busy("pause")}>{t("pause.staff.submit")}</Button>
        </div>
      </SchemaForm>
    </Section>
  );
}

type AwardLine = { key: string; award: string; winner: string; score: number | null };

function AwardsPanel({ data }: { data: StaffAwardsData }) {
  const t = useT();
  const locale = useLocale();
  const lines: AwardLine[] = [];
  const push = (key: string, award: string, rows: StaffAwardsData["awards"]) => {
    if (rows.length === 0) lines.push({ key, award, winner: t("awards.staff.none"), score: null });
    rows.forEach((r, i) => lines.push({ key: `${key}-${i}`, award, winner: r.participantName, score: r.score }));
  };
  push("overall", t("awards.staff.overall"), data.awards.filter((a) => a.kind === "overall"));
  const classes = new Map<string, string>();
  for (const a of data.awards) if (a.kind === "class" && a.classCode) classes.set(a.classCode, a.className ?? a.classCode);
  for (const [code, name] of [...classes].sort((a, b) => a[1].localeCompare(b[1], "nb"))) {
    push(`class-${code}`, t("awards.staff.class", { name }), data.awards.filter((a) => a.kind === "class" && a.classCode === code));
  }
  for (const channel of CHANNELS) {
    push(`channel-${channel}`, t("awards.staff.channel", { channel: t(`channel.${channel}`) }), data.awards.filter((a) => a.kind === "channel" && a.channel === channel));
  }
  const columns: Column<AwardLine>[] = [
    { key: "award", header: t("awards.staff.kind"), rowHeader: true, cell: (l) => l.award },
    { key: "winner", header: t("awards.staff.winner"), cell: (l) => (l.score === null ? <span className="text-gray-700">{l.winner}</span> : l.winner) },
    { key: "score", header: t("awards.staff.score"), numeric: true, cell: (l) => (l.score === null ? "" : formatNumber(l.score, locale, 2)) },
  ];
  return (
    <Section id="awards" title={t("awards.staff.title")} description={t("awards.staff.rules")}>
      {data.published ? (
        <Notice tone="info" live={false}>
          {t("awards.staff.frozen")}{" "}
          <TextLink to={`/staff/studies/${data.year}/results`}>{t("results.link")}</TextLink>
        </Notice>
      ) : (
        <Notice tone="warning" live={false}>
          {t("awards.staff.preview")}
        </Notice>
      )}
      {data.hasResults ? (
        <>
          <DataTable className="mt-4" caption={t("awards.staff.title")} captionHidden columns={columns} rows={lines} rowKey={(l) => l.key} empty={t("awards.staff.noneYet")} />
          {data.classesWithoutWinner.length > 0 && (
            <p className="mt-2 text-sm text-gray-700">
              {t("awards.staff.withoutWinner", { list: data.classesWithoutWinner.map((c) => c.name).join(", ") })}
            </p>
          )}
        </>
      ) : (
        <p className="mt-4 text-gray-700">{t("awards.staff.noneYet")}</p>
      )}
    </Section>
  );
}
