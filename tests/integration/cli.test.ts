// The staff command line of spec/cli-and-api.md, run as staff run it: a child process,
// here on an embedded database of its own (the same code path as DATABASE_URL after opening).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openEmbedded } from "#db/client.server";
import * as s from "#db/schema";
import { samplesDir } from "../support/sample-study";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const sample = (name: string) => fileURLToPath(new URL(name, samplesDir));

let work: string;
let dataDir: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DATA_DIR: dataDir, OUTBOX_DIR: path.join(work, "outbox"), PUBLIC_URL: "https://innsikt.example" };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, path.join(root, "app/cli/main.ts"), ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("npm run cli", () => {
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "innsikt-cli-"));
    dataDir = path.join(work, "pglite");
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("explains itself at every level and exits 2 on wrong usage", async () => {
    const top = await cli("--help");
    expect(top.code).toBe(0);
    for (const command of ["study create", "study publish", "study pause", "questionnaire import", "participants import", "results import", "user invite", "token create"]) {
      expect(top.stdout).toContain(command);
    }
    const group = await cli("results", "--help");
    expect(group).toMatchObject({ code: 0 });
    expect(group.stdout).toContain("results import");
    const command = await cli("results", "import", "--help");
    expect(command.code).toBe(0);
    expect(command.stdout).toContain("--dry-run");
    expect(await cli()).toMatchObject({ code: 2, stderr: "No command given; see the list above.\n" });
    expect(await cli("study")).toMatchObject({ code: 2, stderr: "No study command given; see the list above.\n" });
    expect(await cli("nonsense")).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command "nonsense"') });
    expect(await cli("study", "create")).toMatchObject({ code: 2, stderr: "--year is required.\n" });
    expect(await cli("study", "create", "--year", "tjue")).toMatchObject({ code: 2 });
    expect(await cli("study", "create", "--year", "2021", "--colour", "blue")).toMatchObject({ code: 2, stderr: expect.stringContaining("--colour") });
  }, 180_000); // fourteen tsx processes, each a few seconds on a busy machine

  it("runs a study year: create, three imports (one refused line by line), dry run, publish, invite, token", async () => {
    expect(await cli("study", "create", "--year", "2021")).toMatchObject({ code: 0, stdout: expect.stringContaining("Created study 2021") });
    expect(await cli("study", "create", "--year", "2021")).toMatchObject({ code: 1, stderr: "A study for 2021 already exists.\n" });
    expect(await cli("results", "import", "--study", "2021", sample("results.csv"))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("load the study's questionnaire first"),
    });

    const q = await cli("questionnaire", "import", "--study", "2021", sample("questionnaire.csv"));
    expect(q).toMatchObject({ code: 0, stdout: expect.stringContaining("12 rows: 12 new") });
    expect(await cli("participants", "import", "--study", "2021", sample("participants.csv"))).toMatchObject({ code: 0 });

    // A broken file: one problem per line in the contract's form, then the one-line reason.
    const lines = readFileSync(sample("results.csv"), "utf8").replace("S21-0001,fjordkraft-demo,chat,S002,female,60", "S21-0001,fjordkraft-demo,fax,S002,female,160");
    const broken = path.join(work, "results-broken.csv");
    writeFileSync(broken, lines);
    const refused = await cli("results", "import", "--study", "2021", broken);
    expect(refused.code).toBe(1);
    const errorLines = refused.stderr.trimEnd().split("\n");
    expect(errorLines[0]).toMatch(/^row 2, column channel: unknown channel; use phone, email, chat or messenger .+ \(value: fax\)$/);
    expect(errorLines.some((l) => /^row 2, column shopper_age: .+ \(value: 160\)$/.test(l))).toBe(true);
    expect(errorLines.at(-1)).toMatch(/^results import refused: \d+ problems; nothing was written\.$/);

    const dry = await cli("results", "import", "--study", "2021", sample("results.csv"), "--dry-run");
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining("Dry run, nothing written. 225 rows: 225 new") });
    expect(await cli("study", "publish", "--study", "2021")).toMatchObject({ code: 1, stderr: expect.stringContaining("cannot be published yet") });
    expect(await cli("results", "import", "--study", "2021", sample("results.csv"))).toMatchObject({ code: 0, stdout: expect.stringContaining("225 new") });
    expect(await cli("results", "import", "--study", "2021", sample("results.csv"))).toMatchObject({ code: 0, stdout: expect.stringContaining("No changes") });
    expect(await cli("study", "publish", "--study", "2021")).toMatchObject({ code: 0, stdout: "Published study 2021.\n" });
    expect(await cli("study", "publish", "--study", "2022")).toMatchObject({ code: 1, stderr: expect.stringContaining("There is no study 2022") });

    const invite = await cli("user", "invite", "--participant", "kystbanken", "--email", "Leder@Kystbanken.example", "--role", "manager");
    expect(invite.code).toBe(0);
    const link = /Invitation link \(single use, valid 7 days\): (https:\/\/innsikt\.example\/invitation\/[a-z2-7]+)/.exec(invite.stdout)?.[1];
    expect(link).toBeDefined();
    const mail = readdirSync(path.join(work, "outbox"));
    expect(mail).toHaveLength(1);
    const eml = readFileSync(path.join(work, "outbox", mail[0]!), "utf8");
    expect(eml).toContain("To: leder@kystbanken.example");
    expect(eml.replace(/=\r?\n/g, "")).toContain(link!.slice(-20));
    expect(await cli("user", "invite", "--participant", "kystbanken", "--email", "x@y.no", "--role", "owner")).toMatchObject({ code: 2 });
    expect(await cli("user", "invite", "--participant", "finnes-ikke", "--email", "x@y.no", "--role", "viewer")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No participant has the code "finnes-ikke"'),
    });

    const token = await cli("token", "create", "--participant", "kystbanken", "--name", "Power BI");
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^iks_[a-z2-7]{32}\n$/);
  }, 180_000);

  it("study pause: a class or a company sits the year out, with a reason; the published study's awards leave it out", async () => {
    expect(await cli("study", "pause", "--study", "2021", "--reason", "Pandemipause")).toMatchObject({ code: 2, stderr: "Give exactly one of --class CODE and --participant CODE.\n" });
    expect(await cli("study", "pause", "--study", "2021", "--class", "strom", "--participant", "kystbanken", "--reason", "x")).toMatchObject({ code: 2 });
    expect(await cli("study", "pause", "--study", "2021", "--class", "strom")).toMatchObject({ code: 2, stderr: "--reason is required.\n" });
    expect(await cli("study", "pause", "--study", "2021", "--class", "strom", "--reason", "x".repeat(501))).toMatchObject({ code: 2, stderr: expect.stringContaining("at most 500") });
    expect(await cli("study", "pause", "--study", "2021", "--class", "cruise", "--reason", "Pandemipause")).toMatchObject({ code: 1, stderr: expect.stringContaining('No study has a class with the code "cruise"') });
    expect(await cli("study", "pause", "--study", "2021", "--participant", "finnes-ikke", "--reason", "Fusjon")).toMatchObject({ code: 1, stderr: expect.stringContaining('No participant has the code "finnes-ikke"') });
    expect((await cli("study", "pause", "--help")).stdout).toContain("--class CODE | --participant CODE");

    const paused = await cli("study", "pause", "--study", "2021", "--class", "strom", "--reason", "Pandemipause");
    expect(paused).toMatchObject({ code: 0, stdout: "Class strom is paused in study 2021. Its awards were recomputed.\nReason: Pandemipause\n" });
    expect(await cli("study", "pause", "--study", "2021", "--class", "strom", "--reason", "Igjen")).toMatchObject({ code: 1, stderr: "Class strom is already paused in study 2021.\n" });
    expect(await cli("study", "pause", "--study", "2021", "--participant", "kystbanken", "--reason", "Fusjon")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("(kystbanken) is paused in study 2021. Its awards were recomputed.\nReason: Fusjon\n"),
    });

    const db = await openEmbedded(dataDir);
    try {
      const pauses = await db.db.select().from(s.studyPauses);
      expect(pauses.map((p) => [p.classCode, p.reason])).toEqual(expect.arrayContaining([["strom", "Pandemipause"], [null, "Fusjon"]]));
      const awards = await db.db.select().from(s.studyAwards);
      expect(awards.length).toBeGreaterThan(0);
      expect(awards.filter((a) => a.classCode === "strom" || a.participantName === "Kystbanken")).toEqual([]);
      expect((await db.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "study.pause"))).length).toBe(2);
    } finally {
      await db.close();
    }
  }, 180_000);

  it("works next to the server that holds the embedded database, through the socket it shares", async () => {
    const held = await openEmbedded(dataDir);
    try {
      await held.migrate();
      // The owner keeps working while the CLI's statements run through its socket.
      const ownerWork = (async () => {
        let n = 0;
        for (let i = 0; i < 20; i += 1) n += (await held.db.select().from(s.studies)).length > 0 ? 1 : 0;
        return n;
      })();
      const [created, published] = [await cli("study", "create", "--year", "2024"), await cli("study", "publish", "--study", "2024")];
      expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining("Created study 2024") });
      expect(published).toMatchObject({ code: 1, stderr: expect.stringContaining("cannot be published yet") });
      expect(await ownerWork).toBe(20);
      expect((await held.db.select().from(s.studies).where(eq(s.studies.year, 2024))).map((x) => x.status)).toEqual(["draft"]);
    } finally {
      await held.close();
    }
    // The owner gone, the next process owns the folder itself.
    expect((await cli("study", "create", "--year", "2024")).stderr).toContain("A study for 2024 already exists");
  }, 120_000);
});
