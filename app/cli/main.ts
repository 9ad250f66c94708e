// `npm run cli -- <command>`: the staff command line of spec/cli-and-api.md. It calls the
// same models as the staff console. Exit codes: 0 success, 1 refused or failed (one-line
// reason on stderr; an import's problems one per line before it), 2 wrong usage.

import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { DataDirInUseError, openFromEnv, setDatabase, type Database } from "#db/client.server";
import { buildReportNow, studyCompanies } from "~/models/reports/company-reports.server";
import { formatProblemForCli } from "~/domain/import-validate";
import { envOrExit } from "~/env.server";
import { ROLES, type TenantRole } from "~/domain/types";
import { createApiToken } from "~/models/accounts/api-token.server";
import { findCompanyByCode } from "~/models/admin/company-admin.server";
import { MAX_FILE_BYTES } from "~/models/studies/import-file.server";
import { runImport, type ImportKind, type ImportProgress } from "~/models/studies/import.server";
import { createInvitation } from "~/models/accounts/invitation.server";
import { SENT_STATUSES } from "~/domain/onboarding";
import { ContactsRefusedError, previewContacts, sendContacts } from "~/models/accounts/onboarding.server";
import { deliverOutbox } from "~/mail/outbox.server";
import { openReview, schedulePublication, SeasonError } from "~/models/studies/season.server";
import { PAUSE_REASON_MAX, pauseInStudy, PauseError } from "~/models/studies/pauses.server";
import { parseOsloDateTime, osloIsoDateTime } from "~/domain/oslo-time";
import { createStudy, getStudyByYear, MAX_STUDY_YEAR, MIN_STUDY_YEAR, NotPublishableError, publishStudyAs, StudyExistsError } from "~/models/studies/study.server";

class UsageError extends Error {}
class Failure extends Error {}

const MAIN_HELP = `Innsikt staff command line

Usage: npm run cli -- <command> [options]

Commands:
  study create --year YEAR [--name NAME]        create a study
  study review --study YEAR --until DATETIME    open the review window until that Oslo time
  study publish --study YEAR [--at DATETIME]    publish now (freeze the figures), or at that Oslo time
  study pause --study YEAR (--class CODE | --participant CODE) --reason TEXT
                                                mark a class or company paused for the year (no awards)
  questionnaire import --study YEAR FILE        load the questionnaire (CSV or XLSX)
  participants import --study YEAR FILE         load participants and classes
  results import --study YEAR FILE [--dry-run]  load inquiries; --dry-run validates only
  user invite --participant CODE --email ADDRESS --role manager|teamlead|viewer
  user import --study YEAR FILE [--dry-run]     invite everyone of a contacts file (docs/contacts-format.md)
  token create --participant CODE --name LABEL  create a read-API token (printed once)
  report build --study YEAR [--participant CODE] --out DIR
                                                write each company's full report as DIR/<code>.pdf

Every command takes --help. The database is DATABASE_URL, or the embedded one in .data/.
Exit codes: 0 success, 1 refused or failed, 2 wrong usage.`;

interface CommandSpec {
  help: string;
  options: Record<string, { type: "string" | "boolean" }>;
  positionals?: number;
  run: (database: Database, values: Record<string, string | boolean | undefined>, positionals: string[]) => Promise<void>;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

function yearOption(value: unknown, name: string): number {
  if (value === undefined) throw new UsageError(`--${name} is required.`);
  const year = Number(value);
  if (!Number.isInteger(year) || year < MIN_STUDY_YEAR || year > MAX_STUDY_YEAR) {
    throw new UsageError(`--${name} must be a year from ${MIN_STUDY_YEAR} to ${MAX_STUDY_YEAR} (got "${String(value)}").`);
  }
  return year;
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required.`);
  return value.trim();
}

function osloOption(value: unknown, name: string): Date {
  if (value === undefined) throw new UsageError(`--${name} is required.`);
  const parsed = parseOsloDateTime(String(value));
  if (!parsed.ok) {
    throw new UsageError(
      parsed.reason === "nonexistent"
        ? `--${name} ${String(value)} does not exist in Oslo (the clocks skip that hour in spring).`
        : `--${name} must be a date and time, e.g. 2021-04-20T16:00 or 20.04.2021 16:00 (got "${String(value)}").`,
    );
  }
  return parsed.date;
}

async function studyOf(database: Database, values: Record<string, unknown>) {
  const year = yearOption(values.study, "study");
  const study = await getStudyByYear(database.db, year);
  if (!study) throw new Failure(`There is no study ${year}; create it with \`study create --year ${year}\`.`);
  return study;
}

async function companyOf(database: Database, code: string) {
  const company = await findCompanyByCode(database.db, code);
  if (!company) throw new Failure(`No participant has the code "${code}"; participants are created by \`participants import\`.`);
  return company;
}

/** An input file's bytes, refused when it is missing or larger than the imports take. */
async function readInputFile(file: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new Failure(`Cannot read ${file}: no such file.`);
  }
  if (size > MAX_FILE_BYTES) throw new Failure(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB; the largest allowed is 50 MB.`);
  return readFile(file);
}

interface StudyFileInput {
  study: Awaited<ReturnType<typeof studyOf>>;
  file: string;
  bytes: Buffer;
  dryRun: boolean;
}

/**
 * A command `--study YEAR FILE [--dry-run]` that loads FILE into the study (the imports,
 * `user import`): FILE is required, the study must exist, then the file is read.
 */
function studyFileCommand(help: string, run: (database: Database, input: StudyFileInput) => Promise<void>): CommandSpec {
  return {
    help,
    options: { study: { type: "string" }, "dry-run": { type: "boolean" } },
    positionals: 1,
    run: async (database, values, positionals) => {
      const file = positionals[0];
      if (!file) throw new UsageError("FILE is required.");
      const study = await studyOf(database, values);
      const bytes = await readInputFile(file);
      await run(database, { study, file, bytes, dryRun: Boolean(values["dry-run"]) });
    },
  };
}

function progressPrinter() {
  if (!process.stderr.isTTY) return { update: () => {}, done: () => {} };
  let last = "";
  const names: Record<ImportProgress["phase"], string> = {
    reading: "reading",
    validating: "validating",
    comparing: "comparing",
    writing: "writing",
    finishing: "finishing",
  };
  return {
    update: (p: ImportProgress) => {
      const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
      const line = `${names[p.phase]} ${p.done}/${p.total} rows (${pct}%)`;
      if (line !== last) process.stderr.write(`\r\x1b[2K${line}`);
      last = line;
    },
    done: () => last && process.stderr.write("\r\x1b[2K"),
  };
}

function importCommand(kind: ImportKind, what: string, section: string): CommandSpec {
  return studyFileCommand(
    `Usage: npm run cli -- ${kind} import --study YEAR FILE [--dry-run]

Loads ${what} (import-format.md ${section}) from a CSV or XLSX file into the study.
All or nothing: if any row is wrong nothing is written, and every problem is printed
as "row <n>, column <name>: <what is wrong> (value: <value>)".
Importing the same file again changes nothing; a corrected file replaces what the
earlier import wrote (rows matched by their key), the replaced rows kept in the history.

Options:
  --study YEAR   the study's year (required)
  --dry-run      validate and show what would change, write nothing`,
    async (database, { study, file, bytes, dryRun }) => {
      const progress = progressPrinter();
      const outcome = await runImport(database.db, {
        studyId: study.id,
        kind,
        fileName: path.basename(file),
        bytes,
        userId: null,
        dryRun,
        onProgress: progress.update,
      });
      progress.done();
      if (outcome.status === "refused") {
        for (const p of outcome.problems) process.stderr.write(`${formatProblemForCli(p)}\n`);
        throw new Failure(
          `${kind} import refused: ${outcome.problems.length}${outcome.truncated ? "+" : ""} problem${outcome.problems.length === 1 ? "" : "s"}; nothing was written.`,
        );
      }
      if (outcome.status === "unchanged") {
        out(outcome.diff ? `No changes: the study already holds exactly these ${outcome.diff.rows} rows.` : "No changes: this file was already imported.");
        return;
      }
      const d = outcome.diff;
      const summary = `${d.rows} rows: ${d.added.length} new, ${d.changed.length} changed, ${d.removed.length} removed, ${d.unchanged} unchanged`;
      if (outcome.status === "preview") out(`Dry run, nothing written. ${summary}.`);
      else out(`Imported ${kind} into study ${study.year} (batch ${outcome.batchId}). ${summary}.`);
    },
  );
}

const COMMANDS: Record<string, Record<string, CommandSpec>> = {
  study: {
    create: {
      help: `Usage: npm run cli -- study create --year YEAR [--name NAME]

Creates an empty draft study. Default name: "Kundeserviceprisen YEAR".`,
      options: { year: { type: "string" }, name: { type: "string" } },
      run: async (database, values) => {
        const year = yearOption(values.year, "year");
        try {
          const study = await createStudy(database.db, { year, name: values.name as string | undefined, userId: null });
          out(`Created study ${study.year} "${study.name}" (draft).`);
        } catch (error) {
          if (error instanceof StudyExistsError) throw new Failure(`A study for ${year} already exists.`);
          throw error;
        }
      },
    },
    review: {
      help: `Usage: npm run cli -- study review --study YEAR --until DATETIME

Opens the review window (spec/season.md): each company sees its own preliminary
results and may query a score until DATETIME, Oslo time (2021-04-20T16:00 or
20.04.2021 16:00). Run again to move the deadline. Opening it e-mails the members
of the participating companies.`,
      options: { study: { type: "string" }, until: { type: "string" } },
      run: async (database, values) => {
        const study = await studyOf(database, values);
        const until = osloOption(values.until, "until");
        try {
          const { opened } = await openReview(database.db, study.id, { until, userId: null });
          out(`${opened ? "Opened the review of" : "Moved the review deadline of"} study ${study.year}: queries can be raised until ${osloIsoDateTime(until)}.`);
        } catch (error) {
          if (error instanceof NotPublishableError) throw new Failure(`Study ${study.year} cannot be reviewed yet: it needs a questionnaire, participants and results.`);
          if (error instanceof SeasonError) throw new Failure(error.code === "published" ? `Study ${study.year} is already published.` : `The review deadline ${osloIsoDateTime(until)} has passed; give a later time.`);
          throw error;
        }
      },
    },
    publish: {
      help: `Usage: npm run cli -- study publish --study YEAR [--at DATETIME]

Computes the benchmark figures and makes the study's results visible to its
participants. With --at, the study is published at that Oslo time (the embargo,
e.g. the award ceremony) by the server's background work, exactly once; until then
it stays as it is. Publishing again after a corrected import recomputes the figures.`,
      options: { study: { type: "string" }, at: { type: "string" } },
      run: async (database, values) => {
        const study = await studyOf(database, values);
        const at = values.at === undefined ? null : osloOption(values.at, "at");
        try {
          if (at) {
            await schedulePublication(database.db, study.id, { at, userId: null });
            out(`Study ${study.year} will be published at ${osloIsoDateTime(at)} (Oslo time) by the server's background work.`);
            return;
          }
          await publishStudyAs(database.db, study.id, null);
        } catch (error) {
          if (error instanceof NotPublishableError) throw new Failure(`Study ${study.year} cannot be published yet: it needs a questionnaire, participants and results.`);
          if (error instanceof SeasonError) throw new Failure(error.code === "published" ? `Study ${study.year} is already published.` : `The time ${at ? osloIsoDateTime(at) : ""} has passed; give a later time.`);
          throw error;
        }
        out(`Published study ${study.year}${study.status === "published" ? " again; its figures were recomputed" : ""}.`);
      },
    },
    pause: {
      help: `Usage: npm run cli -- study pause --study YEAR (--class CODE | --participant CODE) --reason TEXT

Marks a class (by its class code) or a company (by its participant code) as paused
for the study's year (spec/season.md), with a reason of 1–${PAUSE_REASON_MAX} characters, e.g. a
pandemic pause. It then takes no part in that year's awards; its members see the year
as paused and why. On a published study the awards are recomputed at once. Staff lift
a pause on the study's page.`,
      options: { study: { type: "string" }, class: { type: "string" }, participant: { type: "string" }, reason: { type: "string" } },
      run: async (database, values) => {
        const hasClass = typeof values.class === "string";
        const hasParticipant = typeof values.participant === "string";
        if (hasClass === hasParticipant) throw new UsageError("Give exactly one of --class CODE and --participant CODE.");
        const reason = required(values, "reason");
        if (reason.length > PAUSE_REASON_MAX) throw new UsageError(`--reason is ${reason.length} characters; at most ${PAUSE_REASON_MAX}.`);
        const study = await studyOf(database, values);
        const subject = hasClass ? { classCode: required(values, "class") } : { participantCode: required(values, "participant") };
        try {
          const pause = await pauseInStudy(database.db, { studyId: study.id, subject, reason, userId: null });
          const what = pause.classCode ? `Class ${pause.classCode}` : `${pause.participantName} (${pause.participantCode})`;
          out(`${what} is paused in study ${study.year}.${study.status === "published" ? " Its awards were recomputed." : ""}`);
          out(`Reason: ${pause.reason}`);
        } catch (error) {
          if (error instanceof PauseError) {
            if (error.code === "no-participant") throw new Failure(`No participant has the code "${String(values.participant)}"; participants are created by \`participants import\`.`);
            if (error.code === "no-class") throw new Failure(`No study has a class with the code "${String(values.class)}".`);
            if (error.code === "exists") throw new Failure(`${hasClass ? `Class ${String(values.class)}` : `Participant ${String(values.participant)}`} is already paused in study ${study.year}.`);
            throw new Failure(error.message);
          }
          throw error;
        }
      },
    },
  },
  questionnaire: { import: importCommand("questionnaire", "the questionnaire", "§1") },
  participants: { import: importCommand("participants", "the participants and classes", "§2") },
  results: { import: importCommand("results", "the inquiries", "§3") },
  user: {
    invite: {
      help: `Usage: npm run cli -- user invite --participant CODE --email ADDRESS --role ROLE

Invites a person into that company's tenant with ROLE (manager, teamlead or viewer).
The invitation e-mail goes through the outbox (SMTP_URL, or the .outbox/ folder);
the single-use link, valid for 7 days, is printed here too.`,
      options: { participant: { type: "string" }, email: { type: "string" }, role: { type: "string" } },
      run: async (database, values) => {
        const code = required(values, "participant");
        const email = required(values, "email");
        const role = required(values, "role");
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError(`--email "${email}" is not an e-mail address.`);
        if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")} (got "${role}").`);
        const company = await companyOf(database, code);
        const { link } = await createInvitation(database.db, { tenantId: company.id, email, role: role as TenantRole, invitedBy: null });
        const delivered = await deliverOutbox(database.db);
        const failed = delivered.find((d) => !d.ok);
        out(`Invited ${email} as ${role} of ${company.name}.`);
        out(`Invitation link (single use, valid 7 days): ${link}`);
        if (failed) process.stderr.write(`The e-mail could not be sent yet (${failed.error}); it stays in the outbox and is retried.\n`);
      },
    },
    import: studyFileCommand(
      `Usage: npm run cli -- user import --study YEAR FILE [--dry-run]

Invites the people of a contacts file (docs/contacts-format.md: participant_code, email,
name, role) into their companies, each company a participant of the study. All or nothing:
if any row is wrong nothing is sent, and every problem is printed as
"row <n>, column <name>: <what is wrong> (value: <value>)".
A person already a member of that company, or with an open invitation there, is not
invited again, so importing the same file twice sends nothing new.

Options:
  --study YEAR   the study's year (required)
  --dry-run      check the file and show who would be invited, send nothing`,
      async (database, { study, file, bytes, dryRun }) => {
        const refused = (problems: { length: number }) =>
          new Failure(`user import refused: ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was sent.`);
        const preview = await previewContacts(database.db, study, bytes);
        if (!preview.ok) {
          for (const p of preview.problems) process.stderr.write(`${formatProblemForCli(p)}\n`);
          throw refused(preview.problems);
        }
        const statusText = { new: "new", expired: "invitation ran out, invite again", invited: "already invited", member: "already a member" } as const;
        for (const c of preview.contacts) out(`row ${c.rowNumber}: ${c.email} (${c.role}) at ${c.participantCode}: ${statusText[c.status]}`);
        const c = preview.counts;
        const summary = `${preview.contacts.length} rows: ${c.new} new, ${c.expired} invited again, ${c.invited} already invited, ${c.member} already members`;
        const toSend = preview.contacts.filter((row) => SENT_STATUSES.includes(row.status)).length;
        if (dryRun) {
          out(`Dry run, nothing sent. ${summary}; ${toSend} would be invited.`);
          return;
        }
        let sent: number;
        try {
          ({ sent } = await sendContacts(database.db, { study, bytes, fileName: path.basename(file), userId: null }));
        } catch (error) {
          if (error instanceof ContactsRefusedError) {
            for (const p of error.problems) process.stderr.write(`${formatProblemForCli(p)}\n`);
            throw refused(error.problems);
          }
          throw error;
        }
        const delivered = await deliverOutbox(database.db);
        const failed = delivered.filter((d) => !d.ok).length;
        out(`Sent ${sent} invitation${sent === 1 ? "" : "s"} for study ${study.year}. ${summary}.`);
        if (failed > 0) process.stderr.write(`${failed} e-mail${failed === 1 ? "" : "s"} could not be sent yet; they stay in the outbox and are retried.\n`);
      },
    ),
  },
  report: {
    build: {
      help: `Usage: npm run cli -- report build --study YEAR [--participant CODE] --out DIR [--lang nb|en]

Builds the full company report (PDF) of every company of a published study, or of one
with --participant, in this process, and writes each as DIR/<participant code>.pdf
(DIR is created if missing; files there are replaced). Each is also stored as the
company's report, for it to download. --lang: nb (default) or en.
A company whose report fails is named on standard error; the others are still written.`,
      options: { study: { type: "string" }, participant: { type: "string" }, out: { type: "string" }, lang: { type: "string" } },
      run: async (database, values) => {
        const dir = required(values, "out");
        const lang = (values.lang as string | undefined) ?? "nb";
        if (lang !== "nb" && lang !== "en") throw new UsageError(`--lang must be nb or en (got "${lang}").`);
        const study = await studyOf(database, values);
        if (study.status !== "published") throw new Failure(`Study ${study.year} is not published; reports are built only after publication.`);
        let companies = await studyCompanies(database.db, study.id);
        if (values.participant !== undefined) {
          const company = await companyOf(database, required(values, "participant"));
          companies = companies.filter((c) => c.tenantId === company.id);
          if (companies.length === 0) throw new Failure(`${company.name} (${company.code}) did not take part in study ${study.year}.`);
        }
        try {
          await mkdir(dir, { recursive: true });
        } catch (error) {
          throw new Failure(`Cannot create ${dir}: ${(error as Error).message}`);
        }
        setDatabase(database); // the renderer reads through the process's database
        const started = Date.now();
        const failed: string[] = [];
        for (const [i, company] of companies.entries()) {
          if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2Kbuilding ${i + 1}/${companies.length}: ${company.code}`);
          try {
            const bytes = await buildReportNow(database.db, { tenantId: company.tenantId, studyId: study.id, year: study.year, kind: "full", lang });
            const file = path.join(dir, `${company.code}.pdf`);
            await writeFile(file, bytes);
            if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
            out(`Wrote ${file} (${Math.max(1, Math.round(bytes.byteLength / 1024))} kB)`);
          } catch (error) {
            if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
            failed.push(company.code);
            process.stderr.write(`${company.code}: ${(error as Error).message?.split("\n")[0] ?? String(error)}\n`);
          }
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (failed.length > 0) throw new Failure(`${failed.length} of ${companies.length} reports of study ${study.year} failed (${failed.join(", ")}); the others are in ${dir}.`);
        out(`Built ${companies.length} ${companies.length === 1 ? "report" : "reports"} of study ${study.year} into ${dir} in ${seconds} s.`);
      },
    },
  },
  token: {
    create: {
      help: `Usage: npm run cli -- token create --participant CODE --name LABEL

Creates a read-API token for that company's tenant and prints it once; only its
hash is stored. Use it as "Authorization: Bearer <token>" on /api/v1.`,
      options: { participant: { type: "string" }, name: { type: "string" } },
      run: async (database, values) => {
        const code = required(values, "participant");
        const name = required(values, "name");
        const company = await companyOf(database, code);
        const { token } = await createApiToken(database.db, { tenantId: company.id, name, createdBy: null, byStaff: true });
        process.stderr.write(`API token "${name}" for ${company.name} (shown once; store it now):\n`);
        out(token);
      },
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [group, action, ...rest] = argv;
  if (!group || group === "--help" || group === "-h" || group === "help") {
    out(MAIN_HELP);
    if (!group) throw new UsageError("No command given; see the list above.");
    return 0;
  }
  const commands = COMMANDS[group];
  if (!commands) throw new UsageError(`Unknown command "${group}". Run with --help for the list.`);
  if (!action || action === "--help" || action === "-h") {
    out(`Commands of "${group}":\n${Object.entries(commands).map(([name, c]) => `  ${group} ${name}: ${c.help.split("\n")[2] ?? ""}`).join("\n")}\n\nAdd --help after a command for its options.`);
    if (!action) throw new UsageError(`No ${group} command given; see the list above.`);
    return 0;
  }
  const command = commands[action];
  if (!command) throw new UsageError(`Unknown command "${group} ${action}". Run \`${group} --help\`.`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} Run \`${group} ${action} --help\`.`);
  }
  if (parsed.values.help) {
    out(command.help);
    return 0;
  }
  if (parsed.positionals.length > (command.positionals ?? 0)) throw new UsageError(`Unexpected argument "${parsed.positionals[command.positionals ?? 0]}".`);
  let database: Database;
  try {
    database = await openFromEnv();
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new Failure(error.message);
    }
    throw new Failure(`Cannot open the database: ${(error as Error).message}`);
  }
  try {
    await database.migrate();
    await command.run(database, parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  } finally {
    await database.close();
  }
  return 0;
}

envOrExit(); // a bad variable: its one-line reason and exit 1, before any command runs
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof Failure) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`Failed: ${(error as Error).message?.split("\n")[0] ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
