import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, getSessionUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { invalidateSession } from "~/models/accounts/session.server";

/** Logging out changes state, so it is POST only. */
export function loader() {
  throw new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const found = await getSessionUser(request);
  if (found) {
    const { db } = await getDatabase();
    await invalidateSession(db, found.session.id);
  }
  throw redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}
