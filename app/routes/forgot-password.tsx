import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "#db/client.server";
import { formAttemptWait, retryAfterHeaders, tooManyAttempts } from "~/auth/rate-limit.server";
import { useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { requestPasswordReset } from "~/models/accounts/password-reset.server";
import { Button, TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { ErrorSummary, parseWithZod, SchemaForm, TextField, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card } from "~/ui/section";

// "Glemt passordet?": the answer is the same whether or not the address has an account, and
// so is the work done (the mail is written later, by the delivery step). The login throttle
// does not apply here, so a person locked out by someone guessing their password can always
// get back in; the per-address form limit does.

export const meta: MetaFunction = () => [{ title: "Glemt passord – Innsikt" }];

export const headers = retryAfterHeaders;

const ForgotSchema = z.object({
  email: z
    .string({ error: "reset.error.email" })
    .trim()
    .toLowerCase()
    .min(1, { error: "reset.error.email" })
    .max(320, { error: "reset.error.email" })
    .pipe(z.email({ error: "reset.error.email" })),
});

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
    <div className="mx-auto max-w-md space-y-4">
      <PageHeader title={t("reset.title")} intro={t("reset.intro")} />
      {result?.sent && <Notice tone="success">{t("reset.sent")}</Notice>}
      <ErrorSummary form={form} labels={{ email: t("login.email") }} />
      <Card>
        <SchemaForm form={form} method="post" className="space-y-5">
          <TextField meta={fields.email} type="email" label={t("login.email")} autoComplete="email" />
          <Button busy={busy} className="w-full">
            {t("reset.submit")}
          </Button>
        </SchemaForm>
      </Card>
      <p>
        <TextLink to="/login">{t("reset.backToLogin")}</TextLink>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
