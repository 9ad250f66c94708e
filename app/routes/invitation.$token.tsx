import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import type { FormMetadata } from "@conform-to/react";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import * as z from "zod";
import { sessionCookie } from "~/auth/guards.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password-policy";
import { verifyPassword } from "~/auth/password.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from "~/auth/throttle.server";
import { getDatabase } from "#db/client.server";
import { useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { acceptInvitation, findInvitation, InvitationUnusableError } from "~/models/accounts/invitation.server";
import { createSession, generateSessionToken, hashToken, setActiveTenant } from "~/models/accounts/session.server";
import { signsInWithProviderOnly } from "~/models/accounts/sso.server";
import { findUserForLogin } from "~/models/accounts/user.server";
import { AuthForm, AuthPage } from "~/ui/auth-form";
import { Button } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { errorText, withParams } from "~/ui/field";
import { parseWithZod, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card } from "~/ui/section";

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
    // The company signs this address in with its own provider only: no password is chosen here.
    ssoOnly: await signsInWithProviderOnly(db, invitation.email),
  };
}

// Messages are catalogue keys (see app/ui/form.tsx).
const NewAccountSchema = z
  .object({
    name: z
      .string({ error: "invite.error.nameRequired" })
      .trim()
      .min(1, { error: "invite.error.nameRequired" })
      .max(200, { error: "invite.error.nameRequired" })
      .regex(/^[^\u0000]*$/, { error: "invite.error.nameRequired" }),
    password: z.string({ error: "invite.error.passwordShort" }).min(MIN_PASSWORD_LENGTH, { error: "invite.error.passwordShort" }).max(1024, { error: "invite.error.passwordShort" }),
    confirm: z.string({ error: "invite.error.mismatch" }),
  })
  .refine((v) => v.password === v.confirm, { error: "invite.error.mismatch", path: ["confirm"] });

const ExistingAccountSchema = z.object({
  password: z.string({ error: "login.error.passwordRequired" }).min(1, { error: "login.error.passwordRequired" }).max(1024, { error: "invite.error.wrongPassword" }),
});

const hideFields = ["password", "confirm"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const token = String(params.token);
  const { db } = await getDatabase();
  const form = await request.formData();
  // Per client address, before the token is even looked up: guessing links is limited too.
  const wait = await formAttemptWait(db, "invitation", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data(parseWithZod(form, { schema: z.object({}) }).reply({ formErrors: [refused.message], hideFields }), refused.init);
  }
  const invitation = TOKEN.test(token) ? await findInvitation(db, token) : null;
  if (!invitation || invitation.state !== "open") {
    return data(parseWithZod(form, { schema: z.object({}) }).reply({ formErrors: ["invite.unusable"], hideFields }), { status: 410 });
  }
  // An address its company signs in with its own provider only gets no password here, however
  // the form was sent: the provider admits the person on this open invitation (sso.callback).
  if (await signsInWithProviderOnly(db, invitation.email)) {
    return data(parseWithZod(form, { schema: z.object({}) }).reply({ formErrors: ["sso.invite.providerOnly"], hideFields }), { status: 403 });
  }
  let userId: string;
  let submission;
  try {
    if (invitation.existingUser) {
      submission = parseWithZod(form, { schema: ExistingAccountSchema });
      if (submission.status !== "success") return data(submission.reply({ hideFields }), { status: 400 });
      // The same throttle as the login form: a link must not become a way to guess passwords.
      const blockedSeconds = await loginBlockedFor(db, invitation.email);
      if (blockedSeconds > 0) {
        const formError = withParams("login.error.throttled", { minutes: Math.ceil(blockedSeconds / 60) });
        return data(submission.reply({ formErrors: [formError], hideFields }), { status: 429, headers: { "Retry-After": String(blockedSeconds) } });
      }
      const user = await findUserForLogin(db, invitation.email);
      const valid = await verifyPassword(user && !user.disabledAt ? user.passwordHash : null, submission.value.password);
      if (!user || !valid) {
        await recordLoginFailure(db, invitation.email);
        return data(submission.reply({ fieldErrors: { password: ["invite.error.wrongPassword"] }, hideFields }), { status: 401 });
      }
      await recordLoginSuccess(db, invitation.email);
      ({ userId } = await acceptInvitation(db, { token, existingUserId: user.id }));
    } else {
      submission = parseWithZod(form, { schema: NewAccountSchema });
      if (submission.status !== "success") return data(submission.reply({ hideFields }), { status: 400 });
      ({ userId } = await acceptInvitation(db, { token, name: submission.value.name, password: submission.value.password }));
    }
  } catch (error) {
    if (error instanceof InvitationUnusableError) {
      return data(submission!.reply({ formErrors: ["invite.unusable"], hideFields }), { status: 410 });
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
  const lastResult = useActionData<typeof action>();
  const t = useT();
  if (!info.usable) {
    // A post refused by the address limit says so; otherwise the link's state explains.
    const refused = lastResult?.error?.[""]?.find((e) => e !== "invite.unusable");
    return (
      <Card className="mx-auto max-w-xl space-y-4">
        <PageHeader title={t("invite.unusable.title")} />
        {refused ? <Notice tone="error">{errorText(t, refused)}</Notice> : <p className="text-gray-700">{t(`invite.state.${info.state as "used"}`)}</p>}
      </Card>
    );
  }
  return (
    <AuthPage title={t("invite.title", { company: info.companyName })} intro={t("invite.intro", { email: info.email, role: t(`role.${info.role}`) })}>
      {info.ssoOnly ? (
        <ProviderSignIn email={info.email} companyName={info.companyName} refused={lastResult?.error?.[""]?.[0] ?? null} />
      ) : info.hasAccount ? (
        <ExistingAccountForm email={info.email} lastResult={lastResult} />
      ) : (
        <NewAccountForm email={info.email} minLength={info.minPasswordLength} lastResult={lastResult} />
      )}
    </AuthPage>
  );
}

/** The invitation of an address the company signs in with its own provider: on to the provider (through the login's e-mail step). */
function ProviderSignIn({ email, companyName, refused }: { email: string; companyName: string; refused: string | null }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <Card className="space-y-4">
      {refused && <Notice tone="error">{errorText(t, refused)}</Notice>}
      <p>{t("sso.invite.intro", { company: companyName })}</p>
      <Form method="post" action="/login" reloadDocument>
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="redirectTo" value="/company" />
        <Button busy={busy} className="w-full">
          {t("login.sso.button", { company: companyName })}
        </Button>
      </Form>
    </Card>
  );
}

function NewAccountForm({ email, minLength, lastResult }: { email: string; minLength: number; lastResult: FormReply | undefined }) {
  const t = useT();
  const [form, fields] = useSchemaForm(NewAccountSchema, { id: "invitation", lastResult });
  return (
    <InvitationForm form={form} email={email} labels={{ name: t("invite.name"), password: t("invite.password"), confirm: t("invite.confirm") }}>
      <TextField meta={fields.name} label={t("invite.name")} autoComplete="name" />
      <TextField meta={fields.password} type="password" label={t("invite.password")} help={t("invite.passwordHelp", { n: minLength })} autoComplete="new-password" />
      <TextField meta={fields.confirm} type="password" label={t("invite.confirm")} autoComplete="new-password" />
    </InvitationForm>
  );
}

function ExistingAccountForm({ email, lastResult }: { email: string; lastResult: FormReply | undefined }) {
  const t = useT();
  const [form, fields] = useSchemaForm(ExistingAccountSchema, { id: "invitation", lastResult });
  return (
    <InvitationForm form={form} email={email} labels={{ password: t("login.password") }}>
      <p>{t("invite.existing")}</p>
      <TextField meta={fields.password} type="password" label={t("login.password")} autoComplete="current-password" />
    </InvitationForm>
  );
}

/** Either form: its summary, the account's address for password managers, its fields, the button. */
function InvitationForm<S extends Record<string, unknown>>({
  form,
  email,
  labels,
  children,
}: {
  form: FormMetadata<S, string[]>;
  email: string;
  labels: Partial<Record<keyof S & string, string>>;
  children: ReactNode;
}) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <AuthForm form={form} labels={labels} submitLabel={t("invite.submit")} busy={busy}>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {children}
    </AuthForm>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
