import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { sessionCookie } from "~/auth/guards.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { getDatabase } from "#db/client.server";
import { translate, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { findPasswordReset, resetPassword } from "~/models/accounts/password-reset.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Nytt passord – Innsikt" }, { name: "referrer", content: "no-referrer" }];

export const headers = retryAfterHeaders;

const TOKEN = /^[a-z2-7]{32}$/;

export async function loader({ params }: LoaderFunctionArgs) {
  const token = String(params.token);
  const { db } = await getDatabase();
  const reset = TOKEN.test(token) ? await findPasswordReset(db, token) : null;
  if (!reset?.usable) return data({ usable: false as const, email: null, minLength: MIN_PASSWORD_LENGTH }, { status: reset ? 410 : 404 });
  return { usable: true as const, email: reset.email, minLength: MIN_PASSWORD_LENGTH };
}

const Schema = z
  .object({
    password: z.string().min(MIN_PASSWORD_LENGTH, { error: "invite.error.passwordShort" }).max(1024, { error: "invite.error.passwordShort" }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { error: "invite.error.mismatch", path: ["confirm"] });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const token = String(params.token);
  const { db } = await getDatabase();
  const wait = await formAttemptWait(db, "reset-password", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data({ field: "form", message: refused.message, limited: true }, refused.init);
  }
  const parsed = Schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return data({ field: String(issue.path[0] ?? "password"), message: translate(locale, issue.message as MessageKey, { min: MIN_PASSWORD_LENGTH }) }, { status: 400 });
  }
  const done = TOKEN.test(token) ? await resetPassword(db, { token, password: parsed.data.password }) : null;
  if (!done) return data({ field: "form", message: translate(locale, "reset.unusable") }, { status: 410 });
  // Every old session ended with the reset; this is a new one.
  const session = generateSessionToken();
  await createSession(db, session, done.userId, { userAgent: request.headers.get("User-Agent") });
  throw redirect("/", { headers: { "Set-Cookie": sessionCookie(session) } });
}

export default function ResetPassword() {
  const { usable, email, minLength } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  if (!usable) {
    return (
      <section className="mx-auto max-w-md rounded-lg bg-white p-8 shadow">
        <h1 className="text-2xl font-semibold">{t("reset.newTitle")}</h1>
        <p role="alert" className="mt-3 text-red-800">{result && "limited" in result ? result.message : t("reset.unusable")}</p>
        <p className="mt-4"><Link to="/forgot-password" className="text-blue-700 underline">{t("reset.again")}</Link></p>
      </section>
    );
  }
  const error = (field: string) => (result?.field === field ? result.message : null);
  return (
    <section className="mx-auto max-w-md rounded-lg bg-white p-8 shadow" aria-labelledby="reset-title">
      <h1 id="reset-title" className="text-2xl font-semibold">{t("reset.newTitle")}</h1>
      <p className="mt-2 text-gray-700">{t("reset.newIntro", { email: email ?? "", min: minLength })}</p>
      {error("form") && <p role="alert" className="mt-3 text-red-800">{error("form")}</p>}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="username" value={email ?? ""} autoComplete="username" />
        <div>
          <label htmlFor="password" className="block font-medium">{t("reset.password")}</label>
          <input id="password" name="password" type="password" autoComplete="new-password" required minLength={minLength}
            aria-invalid={error("password") ? true : undefined} aria-describedby={error("password") ? "password-error" : undefined} className="mt-1 w-full rounded border-gray-500" />
          {error("password") && <p id="password-error" role="alert" className="mt-1 text-sm font-medium text-red-800">{error("password")}</p>}
        </div>
        <div>
          <label htmlFor="confirm" className="block font-medium">{t("reset.confirm")}</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required
            aria-invalid={error("confirm") ? true : undefined} aria-describedby={error("confirm") ? "confirm-error" : undefined} className="mt-1 w-full rounded border-gray-500" />
          {error("confirm") && <p id="confirm-error" role="alert" className="mt-1 text-sm font-medium text-red-800">{error("confirm")}</p>}
        </div>
        <button type="submit" disabled={busy} className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
          {t("reset.save")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
