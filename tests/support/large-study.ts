// A demo study year of any size, for benchmarks and tests of large imports: the demo
// generator's year (4,200 inquiries) cut down or topped up with copies of its inquiries under
// new refs (same shopper, so the shopper checks of import-format.md §3 still hold).

import { generateDemo } from "#db/demo/generate";
import type { StudyData } from "~/domain/types";
import { csvBytes, participantsCsv, questionnaireCsv, resultsCsv } from "./study-csv";

export function largeStudy(options: { year?: number; inquiries: number; seed?: number }): StudyData {
  const [study] = generateDemo({ seed: options.seed ?? 1, years: [options.year ?? 2021] });
  const base = study!.inquiries;
  const inquiries = base.slice(0, options.inquiries);
  for (let n = base.length; inquiries.length < options.inquiries; n++) {
    const source = base[n % base.length]!;
    inquiries.push({ ...source, ref: `${source.ref}-${Math.floor(n / base.length)}`, answers: { ...source.answers } });
  }
  return { ...study!, inquiries };
}

/** The three import files of a study as CSV bytes. */
export function studyFiles(study: StudyData) {
  return {
    questionnaire: csvBytes(questionnaireCsv(study.questionnaire)),
    participants: csvBytes(participantsCsv(study.participants)),
    results: csvBytes(resultsCsv(study.questionnaire, study.inquiries)),
  };
}
