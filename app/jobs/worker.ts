// `npm run worker`: a process that runs only the background jobs (app/jobs/runtime.server),
// on DATABASE_URL or, without it, the embedded database (through the socket of the process
// that owns it, e.g. `npm start`, or as its owner). Run as many as you like: each job runs
// once. SIGTERM/SIGINT stop it gracefully: no new jobs, running ones get 30 s to finish
// (what is cut off then is retried by another worker).
import { openFromEnv, setDatabase } from "#db/client.server";
import { startJobs } from "./runtime.server";

const database = await openFromEnv();
setDatabase(database);
await database.migrate();
const jobs = await startJobs(database, { work: true });
console.log(`Innsikt worker ${process.pid} is running jobs (${database.kind === "pglite" ? "embedded database" : "PostgreSQL"}).`);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: the worker finishes its running jobs and stops…`);
  await jobs.stop({ graceful: true, timeoutSeconds: 30 }).catch((error: Error) => console.error(`Job queue: ${error.message}`));
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
