import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateDemo } from "#db/demo/generate";
import { isValidOrgNumber, orgNumberControlDigit } from "~/domain/org-number";
import type { Channel, InquiryRow, StudyData } from "~/domain/types";
import { CX_RANGES } from "~/domain/types";

const SAMPLE_PARTICIPANTS = new URL("../fixtures/samples/participants.csv", import.meta.url);

const studies = generateDemo({ seed: 7 });
const [study2020, study2021] = studies as [StudyData, StudyData];

const osloParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Oslo",
  weekday: "short",
  month: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function osloTime(date: Date) {
  const parts = Object.fromEntries(osloParts.formatToParts(date).map((p) => [p.type, p.value]));
  return { weekday: parts.weekday!, month: Number(parts.month), hour: Number(parts.hour), minute: Number(parts.minute) };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(item);
  }
  return groups;
}

function weightsOf(study: StudyData): Record<string, number> {
  return Object.fromEntries(study.questionnaire.areas.map((a) => [a.code, a.weight]));
}

describe("isValidOrgNumber", () => {
  it("accepts every organisation number of the sample participants", () => {
    const lines = readFileSync(SAMPLE_PARTICIPANTS, "utf8").trim().split(/\r?\n/).slice(1);
    const numbers = lines.map((line) => line.split(",").at(-1)!);
    expect(numbers).toContain("968430777");
    for (const n of numbers) expect(isValidOrgNumber(n), n).toBe(true);
  });

  it("refuses a wrong control digit, a swapped digit and malformed input", () => {
    expect(isValidOrgNumber("968430778")).toBe(false);
    expect(isValidOrgNumber("986430777")).toBe(false);
    for (const bad of ["", "96843077", "9684307770", "968 430 777", "96843077a", " 968430777"]) {
      expect(isValidOrgNumber(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("maps remainder 0 to control digit 0 and refuses bases with remainder 1", () => {
    // Weighted sum 0: 11 - 0 = 11, written as 0.
    expect(orgNumberControlDigit("00000000")).toBe(0);
    expect(isValidOrgNumber("000000000")).toBe(true);
    // 40000000: 4 * 3 = 12, remainder 1, so 11 - 1 = 10 has no digit.
    expect(orgNumberControlDigit("40000000")).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidOrgNumber(`40000000${d}`)).toBe(false);
  });
});

describe("generateDemo", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    expect(generateDemo({ seed: 7 })).toEqual(studies);
    expect(JSON.stringify(generateDemo({ seed: 7 }))).toBe(JSON.stringify(studies));
    expect(JSON.stringify(generateDemo({ seed: 8 }))).not.toBe(JSON.stringify(studies));
  });

  it("generates a year the same whichever other years are asked for", () => {
    const [alone] = generateDemo({ seed: 7, years: [2021] });
    expect(alone).toEqual(study2021);
  });

  it("defaults to 2020 and 2021 with the study names", () => {
    expect(studies.map((s) => [s.year, s.name])).toEqual([
      [2020, "Kundeserviceprisen 2020"],
      [2021, "Kundeserviceprisen 2021"],
    ]);
    expect(generateDemo({}).map((s) => s.year)).toEqual([2020, 2021]);
  });

  it("refuses years it cannot give a two-digit reference", () => {
    expect(() => generateDemo({ years: [1999] })).toThrow(RangeError);
    expect(() => generateDemo({ years: [2020.5] })).toThrow(RangeError);
    expect(() => generateDemo({ years: [2021, 2021] })).toThrow(RangeError);
  });

  describe.each(studies.map((s) => [s.year, s] as const))("study %i", (_year, study) => {
    const questions = new Map(study.questionnaire.questions.map((q) => [q.code, q]));

    it("has 20 classes and 160–180 participants with unique codes and valid org numbers", () => {
      const classes = new Map<string, Set<string>>();
      for (const p of study.participants) {
        (classes.get(p.classCode) ?? classes.set(p.classCode, new Set()).get(p.classCode)!).add(p.className);
      }
      expect(classes.size).toBe(20);
      for (const names of classes.values()) expect(names.size).toBe(1);
      expect(study.participants.length).toBeGreaterThanOrEqual(160);
      expect(study.participants.length).toBeLessThanOrEqual(180);
      const codes = study.participants.map((p) => p.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const orgNumbers = study.participants.map((p) => p.orgNumber);
      expect(new Set(orgNumbers).size).toBe(orgNumbers.length);
      for (const n of orgNumbers) expect(isValidOrgNumber(n ?? ""), String(n)).toBe(true);
    });

    it("has about 16 questions in V, B, K, L, A and an unweighted CX area with one NPS and one CSAT", () => {
      expect(study.questionnaire.areas.map((a) => a.code)).toEqual(["V", "B", "K", "L", "A", "CX"]);
      expect(study.questionnaire.questions.length).toBe(16);
      const cx = study.questionnaire.questions.filter((q) => q.areaCode === "CX");
      expect(cx.map((q) => q.kind).sort()).toEqual(["csat", "nps"]);
      expect(weightsOf(study).CX).toBe(0);
      for (const q of study.questionnaire.questions) {
        if (q.kind === "points") expect(q.maxPoints).toBeGreaterThanOrEqual(1);
        else expect(q.maxPoints).toBeNull();
      }
    });

    it("has 88 distinct shoppers with one gender, age and region each, over every county", () => {
      const seen = new Map<string, string>();
      const problems: string[] = [];
      for (const inquiry of study.inquiries) {
        const { code, gender, age, region } = inquiry.shopper;
        const key = `${gender}|${age}|${region}`;
        if ((seen.get(code) ?? key) !== key) problems.push(`${inquiry.ref}: ${code} is ${key}, earlier ${seen.get(code)}`);
        if (age < 18 || age > 80) problems.push(`${inquiry.ref}: age ${age}`);
        seen.set(code, key);
      }
      expect(problems).toEqual([]);
      expect(seen.size).toBe(88);
      const regions = new Set([...seen.values()].map((k) => k.split("|")[2]));
      expect(regions.size).toBe(15);
      const genders = new Set([...seen.values()].map((k) => k.split("|")[0]));
      expect(genders).toEqual(new Set(["female", "male", "other"]));
    });

    it("has 25 inquiries per participant over 2–3 channels split evenly, one visit per shopper", () => {
      const byParticipant = groupBy(study.inquiries, (i) => i.participantCode);
      expect(byParticipant.size).toBe(study.participants.length);
      for (const [code, inquiries] of byParticipant) {
        expect(inquiries.length, code).toBe(25);
        const perChannel = [...groupBy(inquiries, (i) => i.channel).values()].map((l) => l.length).sort((a, b) => a - b);
        expect([[12, 13], [8, 8, 9]], code).toContainEqual(perChannel);
        expect(new Set(inquiries.map((i) => i.shopper.code)).size).toBe(25);
      }
    });

    it("has refs unique in the study in the KSP format", () => {
      const refs = study.inquiries.map((i) => i.ref);
      expect(new Set(refs).size).toBe(refs.length);
      const yy = String(study.year % 100).padStart(2, "0");
      const format = new RegExp(`^KSP${yy}-\\d{5}$`);
      expect(refs.filter((ref) => !format.test(ref))).toEqual([]);
    });

    it("contacts on weekdays between 09:00 and 15:00 Oslo time in January–March", () => {
      const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri"];
      const wrong = study.inquiries.filter((inquiry) => {
        const t = osloTime(inquiry.contactedAt);
        const minutes = t.hour * 60 + t.minute;
        return (
          inquiry.contactedAt.getUTCFullYear() !== study.year ||
          !weekdays.includes(t.weekday) ||
          t.month > 3 ||
          minutes < 9 * 60 ||
          minutes > 15 * 60
        );
      });
      expect(wrong.map((i) => `${i.ref} ${i.contactedAt.toISOString()}`)).toEqual([]);
    });

    it("keeps waits within the channel limits and attempts within the rules", () => {
      const limit: Record<Channel, number> = { phone: 300, chat: 300, messenger: 1800, email: 3 * 24 * 3600 };
      const wrong = study.inquiries.filter((inquiry) => {
        if (inquiry.channel === "email" && inquiry.attempts !== 1) return true;
        if (!inquiry.answered) return false;
        const wait = inquiry.waitSeconds;
        return wait === null || !Number.isInteger(wait) || wait <= 0 || wait > limit[inquiry.channel];
      });
      expect(wrong.map((i) => `${i.ref} ${i.channel} attempts ${i.attempts} wait ${i.waitSeconds}`)).toEqual([]);
      expect(study.inquiries.some((i) => i.answered && i.attempts === 2)).toBe(true);
    });

    it("leaves 5–11 % unanswered, with no answers, wait or agent and a comment", () => {
      const unanswered = study.inquiries.filter((i) => !i.answered);
      const share = unanswered.length / study.inquiries.length;
      expect(share).toBeGreaterThanOrEqual(0.05);
      expect(share).toBeLessThanOrEqual(0.11);
      const wrong = unanswered.filter(
        (i) => Object.keys(i.answers).length > 0 || i.waitSeconds !== null || i.agentName !== null || !i.comment,
      );
      expect(wrong.map((i) => i.ref)).toEqual([]);
    });

    it("gives answered inquiries valid points only on applicable channels", () => {
      const answered = study.inquiries.filter((i) => i.answered);
      const problems: string[] = [];
      let withNotApplicable = 0;
      for (const inquiry of answered) {
        const applicable = study.questionnaire.questions.filter(
          (q) => q.kind === "points" && (q.channels === null || q.channels.includes(inquiry.channel)),
        );
        const missing = applicable.filter((q) => !(q.code in inquiry.answers)).length;
        if (missing > 0) withNotApplicable++;
        // At most one question is marked not applicable, so at least one always has points.
        if (missing > 1 || missing === applicable.length) problems.push(`${inquiry.ref}: ${missing} of ${applicable.length} empty`);
        for (const [code, value] of Object.entries(inquiry.answers)) {
          const q = questions.get(code);
          if (!q) {
            problems.push(`${inquiry.ref}: unknown question ${code}`);
            continue;
          }
          const [min, max] = q.kind === "points" ? [0, q.maxPoints ?? 0] : CX_RANGES[q.kind];
          if (!Number.isInteger(value) || value < min || value > max) problems.push(`${inquiry.ref} ${code}: ${value}`);
          if (q.channels && !q.channels.includes(inquiry.channel)) problems.push(`${inquiry.ref} ${code} on ${inquiry.channel}`);
        }
      }
      expect(problems).toEqual([]);
      expect(withNotApplicable).toBeGreaterThan(0);
      expect(withNotApplicable / answered.length).toBeLessThan(0.1);
      const npsShare = answered.filter((i) => "CX1" in i.answers).length / answered.length;
      expect(npsShare).toBeGreaterThan(0.8);
    });

    it("writes Norwegian text: scenarios, agents, comments and transcripts", () => {
      const answered = study.inquiries.filter((i) => i.answered);
      expect(new Set(study.inquiries.map((i) => i.scenario)).size).toBeGreaterThanOrEqual(12);
      expect(answered.some((i) => /[æøåÆØÅ]/.test(i.agentName ?? ""))).toBe(true);
      const comments = study.inquiries.flatMap((i) => (i.comment ? [i.comment] : []));
      expect(comments.some((c) => c.includes("\n"))).toBe(true);
      expect(comments.some((c) => c.includes("<b>"))).toBe(true);
      expect(comments.some((c) => c.includes("&"))).toBe(true);
      const wrong = answered.filter((inquiry) => {
        const lines = (inquiry.transcript ?? "").split("\n");
        if (lines.length < 3 || lines.length > 8) return true;
        // Phone inquiries carry call notes instead of a dialogue.
        return inquiry.channel !== "phone" && !lines.every((line) => /^(Kunde|Kundebehandler): \S/.test(line));
      });
      expect(wrong.map((i) => i.ref)).toEqual([]);
    });
  });

  it("gives K more and V less weight in 2021 than in 2020", () => {
    const w2020 = weightsOf(study2020);
    const w2021 = weightsOf(study2021);
    expect(w2021.K!).toBeGreaterThan(w2020.K!);
    expect(w2021.V!).toBeLessThan(w2020.V!);
    expect(w2020).toEqual({ V: 15, B: 20, K: 30, L: 25, A: 10, CX: 0 });
    expect(w2021).toEqual({ V: 10, B: 20, K: 40, L: 20, A: 10, CX: 0 });
  });

  it("keeps question codes and texts across years except one reworded question", () => {
    const texts2020 = new Map(study2020.questionnaire.questions.map((q) => [q.code, q.text]));
    const changed = study2021.questionnaire.questions.filter((q) => texts2020.get(q.code) !== q.text);
    expect([...texts2020.keys()]).toEqual(study2021.questionnaire.questions.map((q) => q.code));
    expect(changed.map((q) => q.code)).toHaveLength(1);
  });

  it("keeps shoppers stable across years: same gender and region, one year older", () => {
    const shoppersOf = (inquiries: InquiryRow[]) => new Map(inquiries.map((i) => [i.shopper.code, i.shopper]));
    const before = shoppersOf(study2020.inquiries);
    const after = shoppersOf(study2021.inquiries);
    for (const [code, s] of after) {
      const earlier = before.get(code)!;
      expect(earlier, code).toBeDefined();
      expect({ ...earlier, age: earlier.age + 1 }).toEqual(s);
    }
  });

  it("spreads total quality realistically: most answered inquiries score well, a few perfectly", () => {
    // Unweighted point share as a cheap proxy; the real score lives in app/domain/scoring.
    const shares = study2021.inquiries
      .filter((i) => i.answered)
      .map((i) => {
        let points = 0;
        let max = 0;
        for (const q of study2021.questionnaire.questions) {
          if (q.kind !== "points" || !(q.code in i.answers)) continue;
          points += i.answers[q.code]!;
          max += q.maxPoints!;
        }
        return points / max;
      });
    const inRange = shares.filter((s) => s >= 0.5 && s <= 0.95).length / shares.length;
    expect(inRange).toBeGreaterThan(0.7);
    expect(shares.filter((s) => s === 1).length).toBeGreaterThan(0);
  });

  it("scales to more years with mostly the same companies", () => {
    const three = generateDemo({ years: [2019, 2020, 2021] });
    expect(three.map((s) => s.year)).toEqual([2019, 2020, 2021]);
    const codes = three.map((s) => new Set(s.participants.map((p) => p.code)));
    const all = new Set(codes.flatMap((c) => [...c]));
    const inEvery = [...all].filter((code) => codes.every((c) => c.has(code)));
    expect(inEvery.length / all.size).toBeGreaterThan(0.95);
    for (const study of three) expect(study.inquiries.length).toBe(study.participants.length * 25);
  });

  it("generates ten years quickly", () => {
    const started = performance.now();
    const ten = generateDemo({ years: Array.from({ length: 10 }, (_, i) => 2012 + i) });
    const elapsed = performance.now() - started;
    const inquiries = ten.reduce((n, s) => n + s.inquiries.length, 0);
    console.info(`generateDemo: 10 years, ${inquiries} inquiries in ${elapsed.toFixed(0)} ms`);
    expect(ten).toHaveLength(10);
    // A shopper joins the panel the year they turn 18.
    expect(ten.flatMap((s) => s.inquiries.filter((i) => i.shopper.age < 18).map((i) => i.ref))).toEqual([]);
  });
});
