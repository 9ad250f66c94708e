import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { getDatabase } from "#db/client.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { translate, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { requestPasswordReset } from "~/models/accounts/password-reset.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

// "Glemt passordet?": the answer is the same whether or not the address has an account, and
// so is the work done (the mail is written later, by the delivery step). The login throttle
// does not apply here, so a person locked out by someone guessing their password can always
// get back in; the per-address form limit does.

export const meta: MetaFunction = () => [{ title: "Glemt passord – Innsikt" }];

export const headers = retryAfterHeaders;

const Email = z.string().trim().toLowerCase().min(1).max(320).pipe(z.email());

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const wait = await formAttemptWait(db, "forgot-password", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data({ ok: false as const, message: refused.message }, refused.init);
  }
  const form = await request.formData();
  const parsed = Email.safeParse(form.get("email") ?? "");
  if (!parsed.success) return { ok: false as const, message: translate(locale, "reset.error.email") };
  await requestPasswordReset(db, { email: parsed.data });
  return { ok: true as const, message: translate(locale, "reset.sent") };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  return (
    <section className="mx-auto max-w-md rounded-lg bg-white p-8 shadow" aria-labelledby="forgot-title">
      <h1 id="forgot-title" className="text-2xl font-semibold">{t("reset.title")}</h1>
      <p className="mt-2 text-gray-700">{t("reset.intro")}</p>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`mt-4 rounded border p-3 ${result.ok ? "border-green-700 bg-green-50 text-green-900" : "border-red-700 bg-red-50 text-red-900"}`}>
          {result.message}
        </p>
      )}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <div>
          <label htmlFor="email" className="block font-medium">{t("login.email")}</label>
          <input id="email" name="email" type="email" autoComplete="email" required className="mt-1 w-full rounded border-gray-500" />
        </div>
        <button type="submit" disabled={busy} className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
          {t("reset.submit")}
        </button>
      </Form>
      <p className="mt-6"><Link to="/login" className="text-blue-700 underline">{t("reset.backToLogin")}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
