import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { notFound, requireUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { setActiveTenant } from "~/models/accounts/session.server";
import { getMembership } from "~/models/accounts/user.server";

const SwitchSchema = z.object({ tenantId: z.uuid() });

/** The tenant switcher: only to a company the user is a member of; any other id is 404. */
export async function action({ request }: ActionFunctionArgs) {
  const found = await requireUser(request);
  const parsed = SwitchSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw notFound();
  const { db } = await getDatabase();
  const membership = await getMembership(db, found.user.id, parsed.data.tenantId);
  if (!membership) throw notFound();
  await setActiveTenant(db, found.session.id, membership.tenantId);
  throw redirect("/company");
}
