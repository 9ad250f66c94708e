import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getSessionUser, sessionCookie } from "~/auth/guards.server";
import { verifyPassword } from "~/auth/password.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { requestOrigin, safeRedirect } from "~/auth/redirect";
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from "~/auth/throttle.server";
import { getDatabase } from "#db/client.server";
import { translate, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { recordStaffAction } from "~/models/admin/audit.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { findUserForLogin } from "~/models/accounts/user.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Logg inn – Innsikt" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  const url = new URL(request.url);
  return { expired: url.searchParams.get("expired") === "1" };
}

// Messages are catalogue keys, so the same schema speaks both languages.
const LoginSchema = z.object({
  email: z
    .string({ error: "login.error.emailRequired" })
    .trim()
    .min(1, { error: "login.error.emailRequired" })
    .max(320, { error: "login.error.emailInvalid" })
    .pipe(z.email({ error: "login.error.emailInvalid" })),
  password: z.string({ error: "login.error.passwordRequired" }).min(1, { error: "login.error.passwordRequired" }).max(1024, {
    error: "login.error.invalid",
  }),
  redirectTo: z.string().optional(),
});

type FieldErrors = Partial<Record<"email" | "password", string>>;

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const { db } = await getDatabase();
  // Per client address first (any account, right or wrong password), then per account below.
  const wait = await formAttemptWait(db, "login", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data({ fieldErrors: {} as FieldErrors, formError: refused.message as string | null, email: String(form.get("email") ?? "") }, refused.init);
  }
  const parsed = LoginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "email" || field === "password") && !fieldErrors[field]) fieldErrors[field] = translate(locale, issue.message as MessageKey);
    }
    return data({ fieldErrors, formError: null as string | null, email: String(form.get("email") ?? "") }, { status: 400 });
  }
  const { email, password, redirectTo } = parsed.data;

  const blockedSeconds = await loginBlockedFor(db, email);
  if (blockedSeconds > 0) {
    const formError = translate(locale, "login.error.throttled", { minutes: Math.ceil(blockedSeconds / 60) });
    return data({ fieldErrors: {} as FieldErrors, formError, email }, { status: 429, headers: { "Retry-After": String(blockedSeconds) } });
  }
  const user = await findUserForLogin(db, email);
  const valid = await verifyPassword(user && !user.disabledAt ? user.passwordHash : null, password);
  if (!user || !valid) {
    await recordLoginFailure(db, email);
    return data({ fieldErrors: {} as FieldErrors, formError: translate(locale, "login.error.invalid"), email }, { status: 401 });
  }
  await recordLoginSuccess(db, email);
  // A new session on every login: a token planted before login is worthless.
  const token = generateSessionToken();
  await createSession(db, token, user.id, { userAgent: request.headers.get("User-Agent") });
  await recordStaffAction(db, { actorUserId: user.id, action: "auth.login", details: { userAgent: request.headers.get("User-Agent")?.slice(0, 200) ?? null } });
  throw redirect(safeRedirect(redirectTo, requestOrigin(request)), { headers: { "Set-Cookie": sessionCookie(token) } });
}

export default function Login() {
  const t = useT();
  const { expired } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-semibold">{t("login.title")}</h1>
      <p className="mt-2 text-gray-700">{t("login.intro")}</p>
      {expired && !result && (
        <p role="status" className="mt-4 rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
          {t("login.expired")}
        </p>
      )}
      {result?.formError && (
        <p role="alert" id="form-error" className="mt-4 rounded border border-red-300 bg-red-50 p-3 text-red-900">
          {result.formError}
        </p>
      )}
      <Form method="post" className="mt-6 space-y-5 rounded-lg bg-white p-6 shadow" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <div>
          <label htmlFor="email" className="block font-medium">
            {t("login.email")}
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={result?.email}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "email-error" : undefined}
            className="mt-1 w-full rounded border border-gray-400 px-3 py-2"
          />
          {errors.email && (
            <p id="email-error" className="mt-1 text-sm text-red-800">
              {errors.email}
            </p>
          )}
        </div>
        <div>
          <label htmlFor="password" className="block font-medium">
            {t("login.password")}
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
            className="mt-1 w-full rounded border border-gray-400 px-3 py-2"
          />
          {errors.password && (
            <p id="password-error" className="mt-1 text-sm text-red-800">
              {errors.password}
            </p>
          )}
        </div>
        <button type="submit" disabled={busy} className="w-full rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-70">
          {t("login.submit")}
        </button>
      </Form>
      <p className="mt-4">
        <Link to="/forgot-password" className="text-blue-700 underline">
          {t("reset.link")}
        </Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
