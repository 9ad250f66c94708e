import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { sessionCookie } from "~/auth/guards.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password-policy";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { getDatabase } from "#db/client.server";
import { useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { findPasswordReset, resetPassword } from "~/models/accounts/password-reset.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { signsInWithProviderOnly } from "~/models/accounts/sso.server";
import { AuthForm, AuthPage } from "~/ui/auth-form";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { errorText, withParams } from "~/ui/field";
import { parseWithZod, TextField, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card } from "~/ui/section";

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

// Messages are catalogue keys; the length one carries its minimum (see errorText).
const passwordShort = withParams("invite.error.passwordShort", { min: MIN_PASSWORD_LENGTH });
const ResetSchema = z
  .object({
    password: z.string({ error: passwordShort }).min(MIN_PASSWORD_LENGTH, { error: passwordShort }).max(1024, { error: passwordShort }),
    confirm: z.string({ error: "invite.error.mismatch" }),
  })
  .refine((v) => v.password === v.confirm, { error: "invite.error.mismatch", path: ["confirm"] });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const token = String(params.token);
  const { db } = await getDatabase();
  const submission = parseWithZod(await request.formData(), { schema: ResetSchema });
  const hideFields = ["password", "confirm"];
  const wait = await formAttemptWait(db, "reset-password", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data(submission.reply({ formErrors: [refused.message], hideFields }), refused.init);
  }
  if (submission.status !== "success") return data(submission.reply({ hideFields }), { status: 400 });
  // A password is no way in for an address its company signs in with its own provider only.
  const reset = TOKEN.test(token) ? await findPasswordReset(db, token) : null;
  if (reset?.usable && (await signsInWithProviderOnly(db, reset.email))) {
    return data(submission.reply({ formErrors: ["sso.reset.providerOnly"], hideFields }), { status: 403 });
  }
  const done = TOKEN.test(token) ? await resetPassword(db, { token, password: submission.value.password }) : null;
  if (!done) return data(submission.reply({ formErrors: ["reset.unusable"], hideFields }), { status: 410 });
  // Every old session ended with the reset; this is a new one.
  const session = generateSessionToken();
  await createSession(db, session, done.userId, { userAgent: request.headers.get("User-Agent") });
  throw redirect("/", { headers: { "Set-Cookie": sessionCookie(session) } });
}

export default function ResetPassword() {
  const { usable, email, minLength } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const [form, fields] = useSchemaForm(ResetSchema, { id: "reset", lastResult });
  if (!usable) {
    // A refused post (the address limit) says so; otherwise the link is simply spent.
    const refused = lastResult?.error?.[""]?.[0];
    return (
      <Card className="mx-auto max-w-md space-y-4">
        <PageHeader title={t("reset.newTitle")} />
        <Notice tone="error" live={Boolean(refused)}>
          {refused ? errorText(t, refused) : t("reset.unusable")}
        </Notice>
        <p>
          <TextLink to="/forgot-password">{t("reset.again")}</TextLink>
        </p>
      </Card>
    );
  }
  return (
    <AuthPage title={t("reset.newTitle")} intro={t("reset.newIntro", { email: email ?? "", min: minLength })}>
      <AuthForm form={form} labels={{ password: t("reset.password"), confirm: t("reset.confirm") }} submitLabel={t("reset.save")} busy={busy}>
        <input type="hidden" name="username" value={email ?? ""} autoComplete="username" />
        <TextField meta={fields.password} type="password" label={t("reset.password")} autoComplete="new-password" />
        <TextField meta={fields.confirm} type="password" label={t("reset.confirm")} autoComplete="new-password" />
      </AuthForm>
    </AuthPage>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
