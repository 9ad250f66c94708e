// The words of an award, shared by the diploma, the badge and the results list (and any page
// that names an award): "Vinner av klassen Bank", "Beste på telefon", "Totalvinner".

import { formatScore, type Locale } from "~/domain/format";
import { translate } from "~/i18n/i18n";
import type { AwardCertificate, Channel } from "./types";

type Award = Pick<AwardCertificate, "kind" | "className" | "channel">;

/** "Kundeserviceprisen 2026". */
export function prizeLabel(year: number, locale: Locale): string {
  return translate(locale, "awards.prize", { year });
}

export function channelAwardLabel(channel: Channel, locale: Locale): string {
  return translate(locale, `awards.award.channel.${channel}`);
}

/** The award in words; throws if the certificate lacks the class or channel its kind needs. */
export function awardLabel(award: Award, locale: Locale): string {
  switch (award.kind) {
    case "class":
      if (award.className === null) throw new TypeError("A class award needs its class name.");
      return translate(locale, "awards.award.class", { class: award.className });
    case "channel":
      if (award.channel === null) throw new TypeError("A channel award needs its channel.");
      return channelAwardLabel(award.channel, locale);
    case "overall":
      return translate(locale, "awards.award.overall");
  }
}

/** "med en totalscore på 86,0"; for a channel award "med en score på 91,4" (its channel score). */
export function awardScoreLabel(cert: AwardCertificate, locale: Locale): string {
  const score = formatScore(cert.score, locale);
  return translate(locale, cert.kind === "channel" ? "awards.diploma.channelScore" : "awards.diploma.totalScore", { score });
}

/** "Kundeserviceprisen 2026", without repeating a year the study's name already holds. */
export function studyLabel(cert: Pick<AwardCertificate, "studyName" | "year">): string {
  return cert.studyName.includes(String(cert.year)) ? cert.studyName : `${cert.studyName} ${cert.year}`;
}
