import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantMember } from "~/auth/guards.server";

// "Oppfølging" in the menu opens its first tab.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenantMember(request);
  return redirect("/company/follow-up/targets");
}
