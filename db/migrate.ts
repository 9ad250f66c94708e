import { envOrExit } from "~/env.server";
import { openFromEnv } from "./client.server";

// `npm run db:migrate`: applies db/migrations to DATABASE_URL or the embedded database.
envOrExit();
const database = await openFromEnv();
try {
  await database.migrate();
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
