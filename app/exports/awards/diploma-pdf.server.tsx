// The award diploma: one A4 landscape page, in Norwegian or English, with the prize and year,
// the award, the company's name large, the score, and lines for the date and the organiser's
// signature; the badge (./badge.server.ts) as its seal. Like the coaching pack's PDF this
// module holds @react-pdf, so the web server should load it at run time (or in the rendering
// worker), not import it statically (see ../coaching-render.server.ts).

import { Document, Image, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { Locale } from "~/domain/format";
import { translate } from "~/i18n/i18n";
import { FONT_FAMILIES, prepareFonts, printable } from "../pdf-fonts.server";
import { AWARD_MUTED as MUTED, INK, NAVY, pdfLanguage } from "../pdf-style.server";
import { renderBadgePng } from "./badge.server";
import { awardLabel, awardScoreLabel, prizeLabel, studyLabel } from "./labels";
import type { AwardCertificate } from "./types";

const GOLD = "#a9822a";
const SEAL_SIZE = 104;

const s = StyleSheet.create({
  page: { fontFamily: FONT_FAMILIES, color: INK, backgroundColor: "#ffffff" },
  outerFrame: { position: "absolute", top: 22, left: 22, right: 22, bottom: 22, borderWidth: 2.5, borderColor: NAVY },
  innerFrame: { position: "absolute", top: 30, left: 30, right: 30, bottom: 30, borderWidth: 0.75, borderColor: GOLD },
  // The text block centred in the space above the signatures, whatever the name's length.
  content: { position: "absolute", top: 56, bottom: 168, left: 96, right: 96, alignItems: "center", justifyContent: "center" },
  prize: { fontSize: 34, fontWeight: 700, color: NAVY, textAlign: "center" },
  title: { fontSize: 13, fontWeight: 700, color: GOLD, letterSpacing: 5, marginTop: 10, textAlign: "center" },
  rule: { width: 140, height: 1, backgroundColor: GOLD, marginTop: 20, marginBottom: 24 },
  award: { fontSize: 24, fontWeight: 700, textAlign: "center", lineHeight: 1.25 },
  awardedTo: { fontSize: 13, color: MUTED, marginTop: 16, textAlign: "center" },
  company: { fontWeight: 700, color: NAVY, marginTop: 10, textAlign: "center", lineHeight: 1.15 },
  score: { fontSize: 14, marginTop: 18, textAlign: "center" },
  basis: { fontSize: 10, color: MUTED, marginTop: 8, textAlign: "center", lineHeight: 1.35 },
  footer: { position: "absolute", left: 96, right: 96, bottom: 52, flexDirection: "row", alignItems: "flex-end", justifyContent: "space-between" },
  signature: { width: 210, borderTopWidth: 0.75, borderTopColor: INK, paddingTop: 5 },
  signatureLabel: { fontSize: 9.5, color: MUTED, textAlign: "center" },
  seal: { width: SEAL_SIZE, height: SEAL_SIZE },
});

/** Large for a short name, smaller for a long one, so every name fits in two lines at most. */
function companySize(name: string): number {
  const length = Array.from(name).length;
  if (length <= 26) return 36;
  if (length <= 40) return 30;
  if (length <= 60) return 25;
  return 20;
}

function basisKey(cert: AwardCertificate) {
  return cert.kind === "class" ? "awards.diploma.basis.class" : cert.kind === "channel" ? "awards.diploma.basis.channel" : "awards.diploma.basis.overall";
}

function Diploma({ cert, locale, seal }: { cert: AwardCertificate; locale: Locale; seal: Buffer }) {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => printable(translate(locale, key, params));
  const prize = prizeLabel(cert.year, locale);
  const award = awardLabel(cert, locale);
  return (
    <Document
      title={printable(t("awards.diploma.documentTitle", { award, company: cert.participantName, prize }))}
      author="Kundeserviceprisen"
      creator={t("app.name")}
      subject={printable(prize)}
      language={pdfLanguage(locale)}
    >
      <Page size="A4" orientation="landscape" style={s.page}>
        <View style={s.outerFrame} fixed />
        <View style={s.innerFrame} fixed />
        <View style={s.content}>
          <Text style={s.prize}>{printable(prize)}</Text>
          <Text style={s.title}>{t("awards.diploma.title").toLocaleUpperCase(locale === "nb" ? "nb-NO" : "en-GB")}</Text>
          <View style={s.rule} />
          <Text style={s.award}>{printable(award)}</Text>
          <Text style={s.awardedTo}>{t("awards.diploma.awardedTo")}</Text>
          <Text style={[s.company, { fontSize: companySize(cert.participantName) }]}>{printable(cert.participantName)}</Text>
          <Text style={s.score}>{printable(awardScoreLabel(cert, locale))}</Text>
          <Text style={s.basis}>{t(basisKey(cert), { study: studyLabel(cert) })}</Text>
        </View>
        <View style={s.footer}>
          <View style={s.signature}>
            <Text style={s.signatureLabel}>{t("awards.diploma.date")}</Text>
          </View>
          <Image style={s.seal} src={{ data: seal, format: "png" }} />
          <View style={s.signature}>
            <Text style={s.signatureLabel}>{t("awards.diploma.organiser")}</Text>
          </View>
        </View>
      </Page>
    </Document>
  );
}

/** The diploma as a one-page A4 landscape PDF. */
export async function renderDiplomaPdf(cert: AwardCertificate, locale: Locale): Promise<Buffer> {
  await prepareFonts();
  // The seal drawn at three times its printed size (in pt), so it stays sharp on paper.
  const seal = renderBadgePng(cert, locale, { width: SEAL_SIZE * 3 });
  return renderToBuffer(<Diploma cert={cert} locale={locale} seal={seal} />);
}
