// The follow-up download (issue 18): the company's action plans, and beside them any further
// table of the follow-up (the targets table, see FollowUpTable), as XLSX (one sheet each) or as
// CSV (the tables one after another, a blank line between). The coaching exports' dialect: UTF-8
// with a byte-order mark, `;`, decimal comma, every text cell neutralised
// (~/domain/spreadsheet-safety). Values carry the stored precision.

import ExcelJS from "exceljs";
import type { Locale } from "~/domain/format";
import { metricLabel } from "~/domain/plans";
import { targetStatus, type TargetRow } from "~/domain/targets";
import type { Channel } from "~/domain/types";
import { neutraliseCell, toCsv, type CsvValue } from "~/domain/spreadsheet-safety";
import { translate, type MessageKey } from "~/i18n/i18n";
import type { PlanRow } from "~/models/plans/plans.server";

/** A further table of the download: its sheet's name, its header and its rows (text or numbers). */
export interface FollowUpTable {
  title: string;
  header: string[];
  rows: CsvValue[][];
  /** number format per column of a number (XLSX), e.g. "0.0" */
  numFmt?: (string | null)[];
}

/** The plans as a table of the download: one row each, the years beside the values they qualify. */
export function plansTable(plans: readonly PlanRow[], locale: Locale): FollowUpTable {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const yearOf = (key: MessageKey) => `${t(key)} – ${t("trends.year")}`;
  const columns: [string, string | null, (p: PlanRow) => CsvValue][] = [
    [t("plans.list.plan"), null, (p) => p.title],
    [t("plans.list.metric"), null, (p) => metricLabel(t, locale, p.metric, p.metricName)],
    [t("plans.list.owner"), null, (p) => p.ownerName ?? ""],
    [t("plans.list.due"), null, (p) => p.dueDate],
    [t("plans.list.status"), null, (p) => t(`plans.status.${p.status}`)],
    [t("plans.list.baseline"), "0.0", (p) => p.baseline],
    [yearOf("plans.list.baseline"), "0", (p) => p.baselineYear],
    [t("plans.list.target"), "0.0", (p) => p.target],
    [t("plans.list.result"), "0.0", (p) => p.result],
    [yearOf("plans.list.result"), "0", (p) => p.resultYear],
    [t("plans.result.met"), null, (p) => (p.met === null ? "" : t(p.met ? "plans.result.met" : "plans.result.notMet"))],
    [t("plans.page.notes"), null, (p) => p.notes],
  ];
  return {
    title: t("plans.export.sheet"),
    header: columns.map(([header]) => header),
    rows: plans.map((p) => columns.map(([, , value]) => value(p))),
    numFmt: columns.map(([, fmt]) => fmt),
  };
}

/** The company's targets, year by year, against that year's result (the trends page's table). */
export function targetsTable(rows: readonly (TargetRow & { areaName?: string })[], locale: Locale): FollowUpTable {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const label = (r: TargetRow & { areaName?: string }) =>
    r.kind === "total" ? t("targets.total") : r.kind === "channel" ? t(`channel.${r.subject as Channel}`) : `${r.subject} ${r.areaName ?? ""}`.trim();
  const columns: [string, string | null, (r: TargetRow & { areaName?: string }) => CsvValue][] = [
    [t("trends.year"), "0", (r) => r.year],
    [t("targets.col.item"), null, label],
    [t("targets.col.target"), "0.0", (r) => r.target],
    [t("targets.col.result"), "0.0", (r) => r.result],
    [t("targets.col.gap"), "0.0", (r) => targetStatus(r.result, r.target)?.gap ?? null],
    [t("targets.col.status"), null, (r) => { const st = targetStatus(r.result, r.target); return st === null ? "" : t(st.met ? "plans.result.met" : "plans.result.notMet"); }],
  ];
  return {
    title: t("plans.export.targetsSheet"),
    header: columns.map(([header]) => header),
    rows: rows.map((r) => columns.map(([, , value]) => value(r))),
    numFmt: columns.map(([, fmt]) => fmt),
  };
}

export function followUpCsv(tables: readonly FollowUpTable[]): string {
  const rows: CsvValue[][] = [];
  for (const [i, table] of tables.entries()) {
    if (i > 0) rows.push([], [table.title]);
    rows.push(table.header, ...table.rows);
  }
  return toCsv(rows, { delimiter: ";", decimalComma: true });
}

export async function followUpXlsx(tables: readonly FollowUpTable[], locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = translate(locale, "app.name");
  for (const table of tables) {
    const sheet = workbook.addWorksheet(neutraliseCell(table.title).slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = table.header.map((h) => ({ width: Math.max(10, Math.min(50, h.length + 4)) }));
    sheet.addRow(table.header.map(neutraliseCell)).font = { bold: true };
    for (const values of table.rows) {
      const row = sheet.addRow([]);
      values.forEach((value, index) => {
        if (value === null || value === undefined || value === "") return;
        const cell = row.getCell(index + 1);
        // Text as a plain, neutralised string: exceljs writes formulas only for { formula } objects.
        if (typeof value === "number") {
          cell.value = value;
          const fmt = table.numFmt?.[index];
          if (fmt) cell.numFmt = fmt;
        } else cell.value = neutraliseCell(String(value));
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
