import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requestOrigin, safeRedirect } from "~/auth/redirect";
import { isLocale } from "~/i18n/i18n";
import { LOCALE_COOKIE } from "~/i18n/locale.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const to = safeRedirect(form.get("redirectTo"), requestOrigin(request));
  if (!isLocale(locale)) throw redirect(to);
  throw redirect(to, { headers: { "Set-Cookie": `${LOCALE_COOKIE}=${locale}; Path=/; SameSite=Lax; Secure; Max-Age=31536000` } });
}
