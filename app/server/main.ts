import { openFromEnv, setDatabase } from "#db/client.server";
import { envOrExit } from "~/env.server";
import { DEMO_PASSWORD, demoLogins, isDatabaseEmpty, seedDemo } from "~/models/demo.server";
import { sweepHeldBookings } from "~/models/booking.server";
import { sweepExports } from "~/models/coaching-exports.server";
import { purgeExpired } from "~/models/housekeeping.server";
import { purgeOldTranscripts, transcriptRetentionYears } from "~/models/company-data.server";
import { deliverOutbox } from "~/models/outbox.server";
import { mailPendingPasswordResets } from "~/models/password-reset.server";
import { stripeSetup } from "~/models/stripe.server";
import { createApp, loadBuild } from "./app";
import { createHttpServer } from "./malformed-request";

// `npm start`: open the database (DATABASE_URL or the embedded PGlite), migrate,
// seed demo data into an empty embedded database, then serve the Remix build.
const started = Date.now();
const { host, port } = envOrExit();
const database = await openFromEnv();
setDatabase(database);
await database.migrate();

if (database.kind === "pglite" && (await isDatabaseEmpty(database.db))) {
  console.log("Empty embedded database: loading demo data (a minute at most)…");
  await seedDemo(database.db, { log: (line) => console.log(`  ${line}`) });
}

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

// E-mail waiting in the outbox (a retry after an SMTP failure) goes out from here, and so do
// reset links, which only this step writes: hence every 10 s, not every minute.
const outboxTimer = setInterval(() => {
  mailPendingPasswordResets(database.db)
    .catch((error: Error) => console.error(`Reset mails: ${error.message}`))
    .then(() => deliverOutbox(database.db))
    .then((sent) => {
      for (const mail of sent) console.log(mail.ok ? `E-mail ${mail.id} delivered: ${mail.where}` : `E-mail ${mail.id} not delivered yet: ${mail.error}`);
    })
    .catch((error: Error) => console.error(`Outbox: ${error.message}`));
}, 10_000);
outboxTimer.unref();

// Card holds whose checkout ran out are settled with Stripe; exports past 30 days are deleted.
const housekeepingTimer = setInterval(() => {
  sweepHeldBookings(database.db, stripeSetup())
    .then(({ confirmed, released }) => {
      if (confirmed + released > 0) console.log(`Bookings: ${confirmed} confirmed late, ${released} holds released.`);
    })
    .catch((error: Error) => console.error(`Booking sweep: ${error.message}`));
  sweepExports(database.db).catch((error: Error) => console.error(`Export sweep: ${error.message}`));
}, 60_000);
housekeepingTimer.unref();

// Expired sessions, old reset links, throttle and rate-limit counters, and uploaded import files older
// than 30 days are removed every hour.
const purgeTimer = setInterval(() => {
  purgeExpired(database.db)
    .then((n) => {
      if (n.sessions + n.passwordResets + n.loginThrottle + n.rateLimits + n.importUploads > 0)
        console.log(`Purged ${n.sessions} expired sessions, ${n.passwordResets} reset links, ${n.loginThrottle} throttle counters, ${n.rateLimits} rate-limit counters, ${n.importUploads} uploaded files.`);
    })
    .catch((error: Error) => console.error(`Purge: ${error.message}`));
}, 3600_000);
purgeTimer.unref();

// The retention rule for transcripts (TRANSCRIPT_RETENTION_YEARS): at start and every 6 hours.
const retentionYears = transcriptRetentionYears();
if (retentionYears === null) console.log("Transcript retention is off (set TRANSCRIPT_RETENTION_YEARS, e.g. 3, in production).");
const retention = () => {
  if (retentionYears === null) return;
  purgeOldTranscripts(database.db, retentionYears)
    .then((n) => n > 0 && console.log(`Retention: removed ${n} transcripts older than ${retentionYears} years.`))
    .catch((error: Error) => console.error(`Retention: ${error.message}`));
};
retention();
const retentionTimer = setInterval(retention, 6 * 3600_000);
retentionTimer.unref();

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`\n${signal}: shutting down…`);
  clearInterval(outboxTimer);
  clearInterval(housekeepingTimer);
  clearInterval(retentionTimer);
  clearInterval(purgeTimer);
  server.close();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
