import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { getDatabase } from "#db/client.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { requestPasswordReset } from "~/models/accounts/password-reset.server";
import { AuthForm, AuthPage } from "~/ui/auth-form";
import { TextLink } from "~/ui/button";
import { emailAddress } from "~/ui/email-schema";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { parseWithZod, TextField, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";

// "Glemt passordet?": the answer is the same whether or not the address has an account, and
// so is the work done (the mail is written later, by the delivery step). The login throttle
// does not apply here, so a person locked out by someone guessing their password can always
// get back in; the per-address form limit does.

export const meta: MetaFunction = () => [{ title: "Glemt passord – Innsikt" }];

export const headers = retryAfterHeaders;

const ForgotSchema = z.object({ email: emailAddress({ required: "reset.error.email", invalid: "reset.error.email" }) });

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const submission = parseWithZod(await request.formData(), { schema: ForgotSchema });
  const wait = await formAttemptWait(db, "forgot-password", context);
  if (wait > 0) {
    const refused = tooManyAttempts(locale, wait);
    return data({ reply: submission.reply({ formErrors: [refused.message] }), sent: false }, refused.init);
  }
  if (submission.status !== "success") return data({ reply: submission.reply(), sent: false }, { status: 400 });
  await requestPasswordReset(db, { email: submission.value.email });
  return { reply: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const [form, fields] = useSchemaForm(ForgotSchema, { id: "forgot", lastResult: result?.reply });
  return (
    <AuthPage title={t("reset.title")} intro={t("reset.intro")} link={<TextLink to="/login">{t("reset.backToLogin")}</TextLink>}>
      {result?.sent && <Notice tone="success">{t("reset.sent")}</Notice>}
      <AuthForm form={form} labels={{ email: t("login.email") }} submitLabel={t("reset.submit")} busy={busy}>
        <TextField meta={fields.email} type="email" label={t("login.email")} autoComplete="email" />
      </AuthForm>
    </AuthPage>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
