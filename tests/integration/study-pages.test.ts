// Every per-study company page chooses its study the same way (loadStudyPage): the newest
// published study by default, ?study=YEAR for another, 404 for a year the company has no
// published results for, and the page's empty state before anything is published.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "#db/schema";
import { translate } from "~/i18n/i18n";
import { writeStudy } from "~/models/studies/study-write.server";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

const study = sampleStudy(2021);
const A = "kystbanken";
const ownRef = study.inquiries.find((i) => i.participantCode === A)!.ref;
/** The per-study pages; false for the page of one inquiry (of 2021 only, and with no empty state). */
const PAGES: [path: string, wholeStudy: boolean][] = [
  ["/company", true],
  ["/company/inquiries", true],
  [`/company/inquiries/${ownRef}`, false],
  ["/company/comparison", true],
  ["/company/variance", true],
];
let sample: Awaited<ReturnType<typeof publishedStudies>>;
let member: string;
let newcomer: string;

const h1 = (html: string) => /<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1];
const withStudy = (path: string, year: number | string) => `${path}?study=${year}`;

beforeAll(async () => {
  const older = sampleStudy(2020);
  older.inquiries = older.inquiries.map((i) => ({ ...i, ref: `P-${i.ref}` }));
  sample = await publishedStudies(older, study);
  const db = sample.database.db;
  // 2022 is written (A takes part) but not published.
  const draft = sampleStudy(2022);
  draft.inquiries = draft.inquiries.map((i) => ({ ...i, ref: `D-${i.ref}` }));
  await db.transaction((tx) => writeStudy(tx, draft));
  member = await sample.memberCookie(A);
  // A company with no published study at all.
  const [company] = await db.insert(s.participants).values({ code: "nykommer", name: "Nykommer AS" }).returning();
  const user = await createUser(db);
  await addMember(db, company!.id, user.id, "viewer");
  newcomer = await signedInCookie(db, user.id);
}, 120_000);

afterAll(() => sample?.close());

const get = (path: string, cookie: string) => sample.server.fetch(path, { cookie });

describe("every per-study page", () => {
  it("shows the newest published study by default, the same as when it is named", async () => {
    for (const [path, wholeStudy] of PAGES) {
      const plain = await get(path, member);
      const named = await get(withStudy(path, 2021), member);
      expect({ path, status: plain.status, named: named.status }).toEqual({ path, status: 200, named: 200 });
      const heading = h1(await plain.text());
      expect({ path, heading }).toEqual({ path, heading: h1(await named.text()) });
      expect(heading).toBeTruthy();
      if (wholeStudy) expect({ path, older: h1(await (await get(withStudy(path, 2020), member)).text()) }).not.toEqual({ path, older: heading });
    }
  });

  it("answers 404 for a year the company has no published results for: unpublished, absent or malformed", async () => {
    for (const [path] of PAGES) {
      for (const year of [2022, 2019, "abc"]) {
        const res = await get(withStudy(path, year), member);
        // The inquiry list reads `study` with its filters, and a malformed filter is a 400 with words.
        const want = year === "abc" && path === "/company/inquiries" ? 400 : 404;
        expect({ path, year, status: res.status }).toEqual({ path, year, status: want });
      }
    }
  });

  it("shows its empty state before any study the company took part in is published (an inquiry page is 404)", async () => {
    const body = translate("nb", "overview.noStudy.body");
    for (const [path, wholeStudy] of PAGES) {
      const res = await get(path, newcomer);
      const html = await res.text();
      expect({ path, status: res.status, empty: html.includes(body) }).toEqual({ path, status: wholeStudy ? 200 : 404, empty: wholeStudy });
      expect({ path, status: (await get(withStudy(path, 2021), newcomer)).status }).toEqual({ path, status: 404 });
    }
  });
});
