// A worker process of its own for tests/integration/jobs.test.ts (the test kills it in the
// middle of a job): runs the test job types (tests/support/test-jobs.ts) on the job queue of
// the database at --url, and reports on stdout, one JSON object a line:
//   {"event":"ready","pid":123}      the queue is started and its workers poll
//
// With --app it runs the app's own jobs too (imports, packs, mail), as `npm run worker` does.
//
//   node --import tsx tests/support/jobs-child.ts --url URL --name NAME [--app]
import { parseArgs } from "node:util";
import { startJobs } from "~/jobs/runtime.server";
import { appDatabaseOn, effectsPool, testQueues } from "./test-jobs";

const { values } = parseArgs({ options: { url: { type: "string" }, name: { type: "string", default: "child" }, app: { type: "boolean", default: false } } });
if (!values.url) throw new Error("--url is required");
const pool = effectsPool(values.url);
await startJobs(
  values.app ? appDatabaseOn(values.url) : { url: values.url, db: undefined as never },
  { work: true, appHandlers: values.app, extraQueues: testQueues(pool, values.name!), pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, log: () => {} },
);
process.stdout.write(`${JSON.stringify({ event: "ready", pid: process.pid })}\n`);
