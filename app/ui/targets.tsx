import { formatDuration, formatPercent, formatScore, formatSignedGap } from "~/domain/format";
import { targetStatus, type TargetStatus } from "~/domain/targets";
import type { Channel } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { TextLink } from "./button";
import { DataTable, Td, type Column } from "./data-table";
import { gapClass } from "./gap-cell";
import { TooFewNote } from "./too-few";

// Targets beside results (issue 18): the target, the signed gap and "met"/"not met" in words,
// so colour is never the only carrier.

/** "Met" or "Not met" as text, with a mark that is decoration only. */
export function MetText({ status }: { status: TargetStatus | null }) {
  const t = useT();
  if (!status) return "–";
  return (
    <span className={status.met ? "font-medium text-green-900" : "font-medium text-red-900"}>
      <span aria-hidden="true">{status.met ? "✓ " : "✗ "}</span>
      {t(status.met ? "targets.met" : "targets.notMet")}
    </span>
  );
}

/** Three columns of a results table: target, gap to it and whether it was met. */
export function useTargetColumns<Row>(result: (row: Row) => number | null, target: (row: Row) => number | null | undefined): Column<Row>[] {
  const t = useT();
  const locale = useLocale();
  const status = (row: Row) => targetStatus(result(row), target(row));
  return [
    { key: "target", header: t("targets.col.target"), numeric: true, cell: (row) => (target(row) == null ? "–" : formatScore(target(row)!, locale)) },
    {
      key: "targetGap",
      header: t("targets.col.gap"),
      numeric: true,
      cell: (row) => {
        const s = status(row);
        return s ? formatSignedGap(s.gap, locale) : "–";
      },
      cellClassName: (row) => {
        const s = status(row);
        return s ? gapClass(s.gap) : "";
      },
    },
    { key: "targetMet", header: t("targets.col.status"), className: "whitespace-nowrap", cell: (row) => <MetText status={status(row)} /> },
  ];
}

/** The three target cells of a hand-built table row (the comparison's gap map); empty without a target. */
export function TargetCells({ own, target }: { own: number | null; target: number | null | undefined }) {
  const locale = useLocale();
  const s = targetStatus(own, target);
  return (
    <>
      <Td numeric>{target == null ? "" : formatScore(target, locale)}</Td>
      <Td numeric className={s ? gapClass(s.gap) : ""}>
        {s ? formatSignedGap(s.gap, locale) : ""}
      </Td>
      <Td className="whitespace-nowrap">{target == null ? "" : <MetText status={s} />}</Td>
    </>
  );
}

/** The KPI detail line of a total against its target, or undefined without a target. */
export function useTargetDetail() {
  const t = useT();
  const locale = useLocale();
  return (result: number | null, target: number | null | undefined) => {
    const s = targetStatus(result, target);
    return s ? t("targets.kpi", { target: formatScore(s.target, locale), status: t(s.met ? "targets.met" : "targets.notMet"), gap: formatSignedGap(s.gap, locale) }) : undefined;
  };
}

export interface GoalShareRow {
  channel: Channel;
  goalSeconds: number;
  inquiries: number;
  within: number;
  share: number | null;
  classShare: number | null;
  /** how many companies of the class had inquiries on the channel */
  classParticipants: number;
}

/**
 * The response-time goals of a year: per channel the goal, the company's share within it
 * (n of m) and the class's; `year` links each row to the inquiries outside the goal.
 */
export function GoalSharesTable({ shares, year, preliminary }: { shares: readonly GoalShareRow[]; year: number | null; preliminary: boolean }) {
  const t = useT();
  const locale = useLocale();
  const pct = (v: number | null) => (v === null ? "–" : formatPercent(v, locale));
  const gap = (r: GoalShareRow) => (r.share === null || r.classShare === null ? null : (r.share - r.classShare) * 100);
  return (
    <>
      <DataTable<GoalShareRow>
        caption={t("goals.titleNoYear")}
        captionHidden
        rows={shares}
        rowKey={(r) => r.channel}
        empty={t("goals.none")}
        columns={[
          { key: "channel", header: t("goals.col.channel"), rowHeader: true, cell: (r) => t(`channel.${r.channel}`) },
          { key: "goal", header: t("goals.col.goal"), numeric: true, cell: (r) => formatDuration(r.goalSeconds, locale) },
          {
            key: "own",
            header: t("goals.col.own"),
            numeric: true,
            cell: (r) => (r.share === null ? t("goals.noInquiries") : `${pct(r.share)} (${t("goals.col.ownCount", { within: r.within, count: r.inquiries })})`),
          },
          !preliminary && { key: "class", header: t("goals.col.class"), numeric: true, cell: (r) => pct(r.classShare) },
          !preliminary && {
            key: "gap",
            header: t("goals.col.gap"),
            numeric: true,
            cell: (r) => {
              const g = gap(r);
              if (g === null) return "–";
              return (
                <>
                  <span aria-hidden="true">{formatSignedGap(g, locale)}</span>
                  <span className="sr-only">{t("goals.gapPoints", { value: formatSignedGap(g, locale) })}</span>
                </>
              );
            },
            cellClassName: (r) => {
              const g = gap(r);
              return g === null ? "" : gapClass(g);
            },
          },
          year !== null && {
            key: "outside",
            header: <span className="sr-only">{t("goals.outsideLink")}</span>,
            cell: (r) =>
              r.inquiries > r.within ? (
                <TextLink to={`/company/inquiries?study=${year}&channel=${r.channel}&goal=outside`} aria-label={t("goals.outsideLinkLabel", { channel: t(`channel.${r.channel}`) })}>
                  {t("goals.outsideLink")}
                </TextLink>
              ) : null,
          },
        ]}
      />
      <p className="mt-3 text-sm text-gray-700">{t("goals.intro")}</p>
      <TooFewNote hidden={!preliminary && shares.some((r) => r.classShare === null && r.classParticipants > 0)} />
    </>
  );
}
