import { openFromEnv, setDatabase } from "#db/client.server";
import { envOrExit } from "~/env.server";
import { DEMO_PASSWORD, demoLogins, isDatabaseEmpty, seedDemo } from "~/models/admin/demo.server";
import { transcriptRetentionYears } from "~/models/admin/company-data.server";
import { startJobs } from "~/jobs/runtime.server";
import { createApp, loadBuild } from "./app";
import { createHttpServer } from "./malformed-request";

// `npm start`: open the database (DATABASE_URL or the embedded PGlite), migrate,
// seed demo data into an empty embedded database, then serve the Remix build.
const started = Date.now();
const { host, port, runsWorkers: work } = envOrExit();
const database = await openFromEnv();
setDatabase(database);
await database.migrate();

if (database.kind === "pglite" && (await isDatabaseEmpty(database.db))) {
  console.log("Empty embedded database: loading demo data (a minute at most)…");
  await seedDemo(database.db, { log: (line) => console.log(`  ${line}`) });
}

// Background work (mail, sweeps, housekeeping, imports, coaching packs) runs on the job queue
// (app/jobs): in this process unless INNSIKT_WORKER=off, then only in `npm run worker` processes.
const jobs = await startJobs(database, { work });
console.log(work ? "Background jobs run in this process too (INNSIKT_WORKER=off for a web-only process)." : "Web only: background jobs run in `npm run worker` processes.");
if (transcriptRetentionYears() === null) console.log("Transcript retention is off (set TRANSCRIPT_RETENTION_YEARS, e.g. 3, in production).");

const app = createApp(await loadBuild());

const server = createHttpServer(app).listen(port, host, async () => {
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  console.log(`\nInnsikt is running at http://${shown}:${port} (${database.kind === "pglite" ? "embedded database" : "PostgreSQL"}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const logins = await demoLogins(database.db);
  if (logins.length > 0) {
    console.log(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
    for (const login of logins) console.log(`  ${login.email.padEnd(40)} ${login.description}`);
  }
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`\n${signal}: shutting down…`);
  server.close();
  // Running jobs get 20 s to finish; what is still running then is retried by another worker.
  await jobs.stop({ graceful: true, timeoutSeconds: 20 }).catch((error: Error) => console.error(`Job queue: ${error.message}`));
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
