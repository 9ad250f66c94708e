// `npm run cli -- user import`: the contacts file from the command line, as staff run it (a child
// process on an embedded database of its own): refused line by line, a dry run that sends nothing,
// the real run, and the same file again sending nothing new.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded } from "#db/client.server";
import * as s from "#db/schema";
import { BROKEN, CONTACT_ROWS, contactsCsv, contactsFor } from "../support/contacts-file";
import { createStudy, createTenant } from "../support/factories";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

let work: string;
let dataDir: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DATA_DIR: dataDir, OUTBOX_DIR: path.join(work, "outbox"), PUBLIC_URL: "https://innsikt.example" };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, path.join(root, "app/cli/main.ts"), ...args], { cwd: root, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const outboxFiles = () => (existsSync(path.join(work, "outbox")) ? readdirSync(path.join(work, "outbox")) : []);

describe("npm run cli -- user import", () => {
  let fixed: string;
  let broken: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "innsikt-cli-contacts-"));
    dataDir = path.join(work, "pglite");
    const database = await openEmbedded(dataDir);
    try {
      await database.migrate();
      const study = await createStudy(database.db, { year: 2021 });
      const codes = [];
      for (let i = 0; i < 20; i++) codes.push((await createTenant(database.db, study, { scores: [75] })).code);
      const contacts = contactsFor(codes, "cli");
      fixed = path.join(work, "kontakter.csv");
      broken = path.join(work, "kontakter-feil.csv");
      writeFileSync(fixed, contactsCsv(contacts));
      writeFileSync(broken, contactsCsv(contacts, { broken: true }));
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("refuses a broken file line by line, sends nothing on a dry run, then sends each new address once", async () => {
    const refused = await cli("user", "import", "--study", "2021", broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split("\n").filter(Boolean)).toEqual([
      ...BROKEN.map((b) => expect.stringMatching(new RegExp(`^row ${b.row}, column ${b.column}: .* \\(value: ${b.value}\\)$`))),
      "user import refused: 3 problems; nothing was sent.",
    ]);

    const dry = await cli("user", "import", "--study", "2021", fixed, "--dry-run");
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining(`Dry run, nothing sent. ${CONTACT_ROWS} rows: ${CONTACT_ROWS} new`) });
    expect(dry.stdout).toMatch(/^row 2: person2-cli@example\.no \(manager\) at co-[0-9a-f]+: new$/m);
    expect(outboxFiles()).toEqual([]);

    const sent = await cli("user", "import", "--study", "2021", fixed);
    expect(sent).toMatchObject({ code: 0, stdout: expect.stringContaining(`Sent ${CONTACT_ROWS} invitations for study 2021.`) });
    const again = await cli("user", "import", "--study", "2021", fixed);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining(`Sent 0 invitations for study 2021. ${CONTACT_ROWS} rows: 0 new, 0 invited again, ${CONTACT_ROWS} already invited`) });

    const database = await openEmbedded(dataDir);
    try {
      const mails = await database.db.select().from(s.emailOutbox);
      expect(mails).toHaveLength(CONTACT_ROWS);
      expect(new Set(mails.map((m) => m.toAddress)).size).toBe(CONTACT_ROWS);
      expect(await database.db.select().from(s.invitations)).toHaveLength(CONTACT_ROWS);
    } finally {
      await database.close();
    }
    expect(outboxFiles().length).toBeGreaterThan(0); // delivered as the command ends (a batch; the worker sends the rest)
  }, 300_000);
});
