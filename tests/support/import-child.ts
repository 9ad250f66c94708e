// One import in a process of its own, for tests that kill it half-way
// (tests/integration/import-kill.test.ts). Reports on stdout, one JSON object a line:
//   {"event":"open"}                                   the database is open
//   {"event":"progress","phase":"writing","done":1000,"total":5000}
//   {"event":"outcome","status":"imported", ...}       runImport returned
//
//   node --import tsx tests/support/import-child.ts (--url URL | --pglite DIR) --study ID --kind results --file PATH

import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openEmbedded, openPostgres } from "#db/client.server";
import { IMPORT_KINDS, runImport, type ImportKind } from "~/models/studies/import.server";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    pglite: { type: "string" },
    study: { type: "string" },
    kind: { type: "string", default: "results" },
    file: { type: "string" },
  },
});
if (!values.url === !values.pglite) throw new Error("give exactly one of --url and --pglite");
if (!values.study || !values.file) throw new Error("--study and --file are required");
const kind = values.kind as ImportKind;
if (!IMPORT_KINDS.includes(kind)) throw new Error(`unknown kind ${values.kind}`);

// Written synchronously (stdout is a pipe on Linux), so a line is out before the next step runs.
const report = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const database = values.url ? await openPostgres(values.url, { max: 2 }) : await openEmbedded(values.pglite);
report({ event: "open", pid: process.pid });
const outcome = await runImport(database.db, {
  studyId: Number(values.study),
  kind,
  fileName: path.basename(values.file),
  bytes: readFileSync(values.file),
  userId: null,
  onProgress: (progress) => report({ event: "progress", ...progress }),
});
report({
  event: "outcome",
  status: outcome.status,
  ...("diff" in outcome && outcome.diff ? { added: outcome.diff.added.length, rows: outcome.diff.rows } : {}),
  ...(outcome.status === "refused" ? { problems: outcome.problems.slice(0, 5) } : {}),
});
await database.close();
