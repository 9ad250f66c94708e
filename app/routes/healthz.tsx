import { getDatabase } from "#db/client.server";
import { pingDatabase } from "~/models/admin/housekeeping.server";

/** Liveness and database reachability, for load balancers and the load benchmark. */
export async function loader() {
  try {
    const { db } = await getDatabase();
    await pingDatabase(db);
    return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}
