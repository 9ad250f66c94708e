// Regressions from the review of the import, console and insight work: inputs that used to
// reach PostgreSQL as a 500, the API's method errors without an Origin, org-number
// corrections, stale or discarded previews, and password guessing through an invitation.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { createInvitation } from "~/models/accounts/invitation.server";
import { cancelUpload, commitUpload, createUpload, getUpload } from "~/models/studies/import-jobs.server";
import { runImport } from "~/models/studies/import.server";
import { createStudy } from "~/models/studies/study.server";
import { createTestDatabase } from "../support/db";
import { createUser, signedInCookie } from "../support/factories";
import { samplesDir } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const sample = (name: string) => readFileSync(new URL(name, samplesDir));
let database: Database;
let server: TestServer;
let staff: string;
let staffId: string;
let studyId: number;

async function settle(id: string) {
  for (let i = 0; i < 200; i++) {
    const upload = await getUpload(database.db, id);
    if (upload && upload.status !== "checking" && upload.status !== "importing") return upload;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("job did not finish");
}

beforeAll(async () => {
  database = await createTestDatabase({ shared: true });
  const study = await createStudy(database.db, { year: 2021, userId: null });
  studyId = study.id;
  for (const kind of ["questionnaire", "participants"] as const) {
    await runImport(database.db, { studyId, kind, fileName: `${kind}.csv`, bytes: sample(`${kind}.csv`), userId: null });
  }
  const user = await createUser(database.db, { isStaff: true });
  staffId = user.id;
  staff = await signedInCookie(database.db, user.id);
  server = await startTestServer(database, { jobs: true });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("review regressions", () => {
  it("answers 400, not a database error, to a NUL character in any address", async () => {
    for (const path of ["/staff/companies?q=a%00b", "/staff/companies/a%00b", "/company/inquiries?q=%00", "/api/v1/studies/2021/inquiries/x%00y"]) {
      const res = await server.fetch(path, { cookie: staff });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect((await server.fetch("/staff/studies/99999999999", { cookie: staff })).status).toBe(404);
    expect((await server.fetch("/staff", { form: { year: "2031", name: "a\u0000b" }, cookie: staff })).status).toBe(400);
  });

  it("answers the API's method errors in JSON for a client that sends no Origin", async () => {
    const res = await server.fetch("/api/v1/studies", { method: "POST", headers: { Origin: "" } });
    expect([401, 405]).toContain(res.status);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });

  it("clears an org number the corrected file leaves empty, and then the same content is a no-op", async () => {
    const text = sample("participants.csv").toString("utf8");
    const [header, first] = text.split(/\r?\n/);
    const cols = header!.split(",");
    const org = cols.indexOf("org_number");
    const cells = first!.split(",");
    const code = cells[0]!;
    cells[org] = "";
    const corrected = text.replace(first!, cells.join(","));
    const outcome = await runImport(database.db, { studyId, kind: "participants", fileName: "p2.csv", bytes: Buffer.from(corrected), userId: null });
    expect(outcome.status).toBe("imported");
    const [company] = await database.db.select().from(s.participants).where(eq(s.participants.code, code));
    expect(company!.orgNumber).toBeNull();
    const again = await runImport(database.db, { studyId, kind: "participants", fileName: "p3.csv", bytes: Buffer.from(corrected.replace(/\r?\n/g, "\r\n")), userId: null });
    expect(again.status).toBe("unchanged");
  });

  it("checks a preview again when the study changed after it, records the committer, and never commits a discarded one", async () => {
    const first = await settle(await createUpload(database.db, { studyId, kind: "results", fileName: "r.csv", bytes: sample("results.csv"), userId: null }));
    expect(first.status).toBe("previewed");
    const discarded = await settle(await createUpload(database.db, { studyId, kind: "results", fileName: "r2.csv", bytes: sample("results.csv"), userId: null }));
    await cancelUpload(database.db, discarded.id);
    expect(await commitUpload(database.db, discarded.id, staffId)).toBe("not-committable");

    // Another import lands in between: the first preview is out of date.
    const text = sample("results.csv").toString("utf8");
    await runImport(database.db, { studyId, kind: "results", fileName: "half.csv", bytes: Buffer.from(text.split("\nS21-0100")[0]! + "\n"), userId: null });
    expect(await commitUpload(database.db, first.id, staffId)).toBe("rechecked");
    const rechecked = await settle(first.id);
    expect(rechecked.status).toBe("previewed");
    expect(rechecked.outcome.rechecked).toBe(true);
    expect(await commitUpload(database.db, first.id, staffId)).toBe("started");
    expect((await settle(first.id)).status).toBe("imported");
    const [batch] = await database.db.select().from(s.importBatches).where(eq(s.importBatches.fileName, "r.csv"));
    expect(batch!.createdBy).toBe(staffId);
  });

  it("throttles password guesses made through an invitation to an existing account", async () => {
    const [company] = await database.db.select().from(s.participants).limit(1);
    const existing = await createUser(database.db, { passwordHash: await hashPassword("riktig-passord-123") });
    const { token } = await createInvitation(database.db, { tenantId: company!.id, email: existing.email, role: "viewer", invitedBy: null });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await server.fetch(`/invitation/${token}`, { form: { password: `feil-${i}` } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect((await server.fetch(`/invitation/${token}`, { form: { password: "riktig-passord-123" } })).status).toBe(429);
  });
});
