import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, getSessionUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { listMemberships } from "~/models/user.server";

/** The front door: companies land on their overview, staff on the studies. */
export async function loader({ request }: LoaderFunctionArgs) {
  const found = await getSessionUser(request);
  if (!found) throw redirect("/login");
  const { db } = await getDatabase();
  if ((await listMemberships(db, found.user.id)).length > 0) throw redirect("/company");
  if (found.user.isStaff) throw redirect("/staff");
  throw forbidden("no-company");
}
