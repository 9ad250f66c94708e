// THROWAWAY: replaced by the report helper's renderer at merge
// A stand-in with the renderer's interface, so the report jobs can be built and tested: a
// one-page PDF with the company's name, the study year and the kind.

import { getDatabase, withTenant } from "#db/client.server";
import { and, eq } from "drizzle-orm";
import * as s from "#db/schema";

export type ReportKind = "full" | "summary";

export async function renderCompanyReport(input: { tenantId: string; studyYear: number; kind: ReportKind; lang: "nb" | "en" }): Promise<Uint8Array> {
  const { db } = await getDatabase();
  const name = await withTenant(db, input.tenantId, async ({ tx, tenantId }) => {
    const [row] = await tx
      .select({ name: s.participations.displayName })
      .from(s.participations)
      .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
      .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, input.studyYear)));
    return row?.name ?? null;
  });
  if (name === null) throw new Error(`No participation of the company in ${input.studyYear}.`);
  const React = await import("react");
  const { Document, Page, Text, renderToBuffer } = await import("@react-pdf/renderer");
  const { FONT_FAMILIES, prepareFonts, printable } = await import("../pdf-fonts.server");
  await prepareFonts();
  const title = `${input.kind === "full" ? (input.lang === "nb" ? "Rapport" : "Report") : input.lang === "nb" ? "Sammendrag" : "Summary"} ${input.studyYear}`;
  const doc = React.createElement(
    Document,
    { title: printable(`${title} – ${name}`) },
    React.createElement(Page, { size: "A4", style: { padding: 48, fontFamily: FONT_FAMILIES } }, React.createElement(Text, { style: { fontSize: 20 } }, printable(name)), React.createElement(Text, null, title)),
  );
  return new Uint8Array(await renderToBuffer(doc));
}
