import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, getMemberships, getSessionUser } from "~/auth/guards.server";

/** The front door: companies land on their overview, staff on the studies. */
export async function loader({ request }: LoaderFunctionArgs) {
  const found = await getSessionUser(request);
  if (!found) throw redirect("/login");
  if ((await getMemberships(request, found)).active) throw redirect("/company");
  if (found.user.isStaff) throw redirect("/staff");
  throw forbidden("no-company");
}
