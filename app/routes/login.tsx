import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { getSessionUser, sessionCookie } from "~/auth/guards.server";
import { verifyPassword } from "~/auth/password.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { requestOrigin, safeRedirect } from "~/auth/redirect";
import { ssoCookie } from "~/auth/sso-cookie.server";
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from "~/auth/throttle.server";
import { getDatabase } from "#db/client.server";
import { useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { recordStaffAction } from "~/models/admin/audit.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { findUserForLogin } from "~/models/accounts/user.server";
import { findSsoForEmail, SsoUnavailableError, startSsoLogin } from "~/models/accounts/sso.server";
import { AuthForm, AuthPage } from "~/ui/auth-form";
import { Button, TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { withParams } from "~/ui/field";
import { parseWithZod, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { Notice } from "~/ui/notice";

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
  // Empty: the e-mail step (issue 17). An address of a company that signs in with its own
  // provider goes there; any other gets the password step.
  password: z.string().max(1024, { error: "login.error.invalid" }).optional(),
  redirectTo: z.string().optional(),
});

type LoginAnswer = { reply: FormReply; passwordStep: boolean; ssoCompany: string | null };
const answer = (reply: FormReply, more: Partial<Omit<LoginAnswer, "reply">> = {}): LoginAnswer => ({ reply, passwordStep: false, ssoCompany: null, ...more });

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: LoginSchema });
  const { db } = await getDatabase();
  // Per client address first (any account, right or wrong password), then per account below.
  const wait = await formAttemptWait(db, "login", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data(answer(submission.reply({ formErrors: [refused.message], hideFields: ["password"] })), refused.init);
  }
  if (submission.status !== "success") return data(answer(submission.reply({ hideFields: ["password"] })), { status: 400 });
  const parsed = submission.value;
  const { email, password, redirectTo } = parsed;
  const target = safeRedirect(redirectTo, requestOrigin(request));

  const sso = await findSsoForEmail(db, email);
  // Staff always sign in with their password: a company's provider never signs anyone in as staff.
  const staff = sso && !sso.passwordAllowed ? (await findUserForLogin(db, email))?.isStaff === true : false;
  if (sso && !staff && (form.get("intent") === "sso" || !sso.passwordAllowed)) {
    try {
      const started = await startSsoLogin(db, { tenantId: sso.tenantId, email, redirectTo: target });
      throw redirect(started.url, { headers: { "Set-Cookie": ssoCookie(started.browserToken) } });
    } catch (error) {
      if (!(error instanceof SsoUnavailableError)) throw error;
      console.error(`SSO of ${sso.companyName} unavailable: ${error.message}`, error.cause);
      return data(answer(submission.reply({ formErrors: ["login.sso.unavailable"], hideFields: ["password"] }), { passwordStep: sso.passwordAllowed, ssoCompany: sso.companyName }), { status: 503 });
    }
  }
  if (!password) return answer(submission.reply({ hideFields: ["password"] }), { passwordStep: true, ssoCompany: sso?.companyName ?? null });

  const blockedSeconds = await loginBlockedFor(db, email);
  if (blockedSeconds > 0) {
    const formError = withParams("login.error.throttled", { minutes: Math.ceil(blockedSeconds / 60) });
    return data(answer(submission.reply({ formErrors: [formError], hideFields: ["password"] })), { status: 429, headers: { "Retry-After": String(blockedSeconds) } });
  }
  const user = await findUserForLogin(db, email);
  const valid = await verifyPassword(user && !user.disabledAt ? user.passwordHash : null, password);
  if (!user || !valid) {
    await recordLoginFailure(db, email);
    return data(answer(submission.reply({ formErrors: ["login.error.invalid"], hideFields: ["password"] }), { passwordStep: true, ssoCompany: sso?.companyName ?? null }), { status: 401 });
  }
  await recordLoginSuccess(db, email);
  // A new session on every login: a token planted before login is worthless.
  const token = generateSessionToken();
  await createSession(db, token, user.id, { userAgent: request.headers.get("User-Agent") });
  await recordStaffAction(db, { actorUserId: user.id, action: "auth.login", details: { userAgent: request.headers.get("User-Agent")?.slice(0, 200) ?? null } });
  throw redirect(target, { headers: { "Set-Cookie": sessionCookie(token) } });
}

export default function Login() {
  const t = useT();
  const { expired } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useSchemaForm(LoginSchema, { id: "login", lastResult: lastResult?.reply });
  const passwordStep = lastResult?.passwordStep === true;
  const ssoCompany = lastResult?.ssoCompany ?? null;
  return (
    <AuthPage title={t("login.title")} intro={t("login.intro")} link={<TextLink to="/forgot-password">{t("reset.link")}</TextLink>}>
      {expired && !lastResult && <Notice tone="warning">{t("login.expired")}</Notice>}
      {/* Only while the form has no errors: never together with the error summary of AuthForm. */}
      {passwordStep && form.status !== "error" && <Notice tone="info">{t("login.passwordStep")}</Notice>}
      <AuthForm
        form={form}
        labels={{ email: t("login.email"), password: t("login.password") }}
        submitLabel={t("login.submit")}
        busy={busy}
        after={
          // After the main button: Enter in a field submits with the first button of the form.
          ssoCompany && (
            <>
              <p className="text-sm text-gray-700">{t("login.sso.or")}</p>
              <Button name="intent" value="sso" tone="secondary" className="w-full">
                {t("login.sso.button", { company: ssoCompany })}
              </Button>
            </>
          )
        }
      >
        <TextField meta={fields.email} type="email" label={t("login.email")} autoComplete="username" help={passwordStep ? undefined : t("login.ssoHint")} />
        <TextField meta={fields.password} type="password" label={t("login.password")} autoComplete="current-password" autoFocus={passwordStep} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
      </AuthForm>
    </AuthPage>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
