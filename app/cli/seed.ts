import { parseArgs } from "node:util";
import { openFromEnv } from "#db/client.server";
import { envOrExit } from "~/env.server";
import { isDatabaseEmpty, seedDemo } from "~/models/admin/demo.server";

// `npm run db:seed [-- --scale N]`: demo data, N study years ending 2021.
const usage = `Usage: npm run db:seed -- [--scale N] [--force]

Loads deterministic demo data (N study years ending with 2021; default 2) into
DATABASE_URL or the embedded database. Refuses a database that already has
studies, and a DATABASE_URL that is not on this machine unless --force is given.`;

let args;
try {
  args = parseArgs({ options: { scale: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean" } } }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const scale = args.scale === undefined ? 2 : Number(args.scale);
if (!Number.isInteger(scale) || scale < 1 || scale > 50) {
  console.error("--scale must be a whole number of years from 1 to 50.");
  process.exit(2);
}
const url = envOrExit().databaseUrl;
if (url && !args.force) {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]", ""].includes(host)) {
    console.error(`Refusing to seed demo data into ${host}: not a local database. Use --force if you really mean it.`);
    process.exit(1);
  }
}
const database = await openFromEnv();
try {
  await database.migrate();
  if (!(await isDatabaseEmpty(database.db))) {
    console.error("The database already has studies; demo data is only loaded into an empty database.");
    process.exit(1);
  }
  const years = Array.from({ length: scale }, (_, i) => 2021 - scale + 1 + i);
  await seedDemo(database.db, { years, log: (line) => console.log(line) });
  console.log("Demo data loaded.");
} finally {
  await database.close();
}
