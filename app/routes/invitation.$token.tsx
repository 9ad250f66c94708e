import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { sessionCookie } from "~/auth/guards.server";
import { MIN_PASSWORD_LENGTH, verifyPassword } from "~/auth/password.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from "~/auth/throttle.server";
import { getDatabase } from "#db/client.server";
import { translate, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { acceptInvitation, findInvitation, InvitationUnusableError } from "~/models/accounts/invitation.server";
import { createSession, generateSessionToken, hashToken, setActiveTenant } from "~/models/accounts/session.server";
import { findUserForLogin } from "~/models/accounts/user.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Invitasjon – Innsikt" }, { name: "referrer", content: "no-referrer" }];

export const headers = retryAfterHeaders;

const TOKEN = /^[a-z2-7]{20,80}$/;

export async function loader({ params }: LoaderFunctionArgs) {
  const token = String(params.token);
  const { db } = await getDatabase();
  const invitation = TOKEN.test(token) ? await findInvitation(db, token) : null;
  if (!invitation || invitation.state !== "open") {
    return data({ usable: false as const, state: invitation?.state ?? "unknown" }, { status: invitation ? 410 : 404 });
  }
  return {
    usable: true as const,
    state: invitation.state,
    email: invitation.email,
    companyName: invitation.companyName,
    role: invitation.role,
    hasAccount: Boolean(invitation.existingUser),
    minPasswordLength: MIN_PASSWORD_LENGTH,
  };
}

const NewAccount = z
  .object({
    name: z.string().trim().min(1, { error: "invite.error.nameRequired" }).max(200, { error: "invite.error.nameRequired" }).regex(/^[^\u0000]*$/, { error: "invite.error.nameRequired" }),
    password: z.string().min(MIN_PASSWORD_LENGTH, { error: "invite.error.passwordShort" }).max(1024, { error: "invite.error.passwordShort" }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { error: "invite.error.mismatch", path: ["confirm"] });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const token = String(params.token);
  const { db } = await getDatabase();
  // Per client address, before the token is even looked up: guessing links is limited too.
  const wait = await formAttemptWait(db, "invitation", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data({ fieldErrors: {} as Record<string, string>, formError: refused.message, limited: true }, refused.init);
  }
  const invitation = TOKEN.test(token) ? await findInvitation(db, token) : null;
  if (!invitation || invitation.state !== "open") {
    return data({ fieldErrors: {} as Record<string, string>, formError: translate(locale, "invite.unusable") }, { status: 410 });
  }
  const form = Object.fromEntries(await request.formData());
  let userId: string;
  try {
    if (invitation.existingUser) {
      // The same throttle as the login form: a link must not become a way to guess passwords.
      const blockedSeconds = await loginBlockedFor(db, invitation.email);
      if (blockedSeconds > 0) {
        const formError = translate(locale, "login.error.throttled", { minutes: Math.ceil(blockedSeconds / 60) });
        return data({ fieldErrors: {} as Record<string, string>, formError }, { status: 429, headers: { "Retry-After": String(blockedSeconds) } });
      }
      const user = await findUserForLogin(db, invitation.email);
      const valid = await verifyPassword(user && !user.disabledAt ? user.passwordHash : null, String(form.password ?? ""));
      if (!user || !valid) {
        await recordLoginFailure(db, invitation.email);
        return data({ fieldErrors: { password: translate(locale, "invite.error.wrongPassword") }, formError: null }, { status: 401 });
      }
      await recordLoginSuccess(db, invitation.email);
      ({ userId } = await acceptInvitation(db, { token, existingUserId: user.id }));
    } else {
      const parsed = NewAccount.safeParse(form);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= translate(locale, issue.message as MessageKey);
        return data({ fieldErrors, formError: null }, { status: 400 });
      }
      ({ userId } = await acceptInvitation(db, { token, name: parsed.data.name, password: parsed.data.password }));
    }
  } catch (error) {
    if (error instanceof InvitationUnusableError) {
      return data({ fieldErrors: {} as Record<string, string>, formError: translate(locale, "invite.unusable") }, { status: 410 });
    }
    throw error;
  }
  // Signed in with a fresh session, straight into the company that invited them.
  const sessionToken = generateSessionToken();
  await createSession(db, sessionToken, userId, { userAgent: request.headers.get("User-Agent") });
  await setActiveTenant(db, hashToken(sessionToken), invitation.tenantId);
  throw redirect("/company", { headers: { "Set-Cookie": sessionCookie(sessionToken) } });
}

export default function AcceptInvitation() {
  const info = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  if (!info.usable) {
    return (
      <section className="mx-auto max-w-xl rounded-lg bg-white p-8 shadow">
        <h1 className="text-2xl font-semibold">{t("invite.unusable.title")}</h1>
        {result && "limited" in result ? (
          <p role="alert" className="mt-3 text-red-800">{result.formError}</p>
        ) : (
          <p className="mt-3 text-gray-700">{t(`invite.state.${info.state as "used"}`)}</p>
        )}
      </section>
    );
  }
  const errors: Record<string, string> = result?.fieldErrors ?? {};
  const field = (name: string, label: MessageKey, type: string, autoComplete: string, help?: string) => (
    <div>
      <label htmlFor={name} className="block font-medium">
        {t(label)}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={[help ? `${name}-help` : "", errors[name] ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined}
        className="mt-1 w-full rounded border border-gray-400 px-3 py-2"
      />
      {help && (
        <p id={`${name}-help`} className="mt-1 text-sm text-gray-700">
          {help}
        </p>
      )}
      {errors[name] && (
        <p id={`${name}-error`} className="mt-1 text-sm text-red-800">
          {errors[name]}
        </p>
      )}
    </div>
  );
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-semibold">{t("invite.title", { company: info.companyName })}</h1>
      <p className="mt-2 text-gray-700">{t("invite.intro", { email: info.email, role: t(`role.${info.role}`) })}</p>
      {result?.formError && (
        <p role="alert" className="mt-4 rounded border border-red-300 bg-red-50 p-3 text-red-900">
          {result.formError}
        </p>
      )}
      <Form method="post" className="mt-6 space-y-5 rounded-lg bg-white p-6 shadow" noValidate>
        <input type="email" name="username" autoComplete="username" value={info.email} readOnly hidden />
        {info.hasAccount ? (
          <>
            <p>{t("invite.existing")}</p>
            {field("password", "login.password", "password", "current-password")}
          </>
        ) : (
          <>
            {field("name", "invite.name", "text", "name")}
            {field("password", "invite.password", "password", "new-password", t("invite.passwordHelp", { n: info.minPasswordLength }))}
            {field("confirm", "invite.confirm", "password", "new-password")}
          </>
        )}
        <button type="submit" disabled={busy} className="w-full rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-70">
          {t("invite.submit")}
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
