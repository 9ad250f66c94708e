import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { requireUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { isLocale, translate, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { getAccount, setSeasonMails } from "~/models/accounts/account.server";
import { Button, TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { CheckboxField } from "~/ui/checkbox-field";
import { parseWithZod, SchemaForm, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

// The signed-in person's own account: who they are here, which e-mails they get, and the way
// to their sessions. Every change is to their own user row (the session's user, never one named
// by the form), the same in every company they belong to.

export const meta: MetaFunction = () => [{ title: "Kontoen din – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const { db } = await getDatabase();
  const account = await getAccount(db, user.id);
  if (!account) throw new Response("Not Found", { status: 404 });
  return { ...account, locale: isLocale(account.locale) ? account.locale : ("nb" as const) };
}

const NotificationsSchema = z.object({ seasonMails: z.boolean().optional() });

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const locale = localeFromRequest(request);
  const submission = parseWithZod(await request.formData(), { schema: NotificationsSchema });
  if (submission.status !== "success") return data({ reply: submission.reply(), message: null }, { status: 400 });
  const on = submission.value.seasonMails === true;
  const { db } = await getDatabase();
  await setSeasonMails(db, { userId: user.id, on });
  return { reply: submission.reply(), message: translate(locale, on ? "account.seasonMails.nowOn" : "account.seasonMails.nowOff") };
}

export default function AccountPage() {
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const [form, fields] = useSchemaForm(NotificationsSchema, { id: "notifications", lastResult: result?.reply });
  return (
    <div className="space-y-6">
      <PageHeader title={t("account.title")} intro={<span className="block max-w-3xl">{t("account.intro")}</span>} />
      {result?.message && <Notice tone="success">{result.message}</Notice>}
      <Section id="account-details" title={t("account.details")}>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="text-sm font-medium text-gray-700 sm:text-base sm:text-gray-900">{t("account.name")}</dt>
          <dd>{account.name}</dd>
          <dt className="text-sm font-medium text-gray-700 sm:text-base sm:text-gray-900">{t("account.email")}</dt>
          <dd className="break-all">{account.email}</dd>
          <dt className="text-sm font-medium text-gray-700 sm:text-base sm:text-gray-900">{t("account.language")}</dt>
          <dd>
            {t(account.locale === "en" ? "account.language.en" : "account.language.nb")}
            <span className="block text-sm text-gray-700">{t("account.language.help")}</span>
          </dd>
        </dl>
      </Section>
      <Section id="notifications" title={t("account.notifications")} description={t("account.notifications.intro", { email: account.email })}>
        <SchemaForm form={form} method="post" className="space-y-4">
          <CheckboxField meta={fields.seasonMails} defaultChecked={account.seasonMails} label={t("account.seasonMails.label")} help={t("account.seasonMails.help")} />
          <Button busy={busy}>{t("account.save")}</Button>
        </SchemaForm>
      </Section>
      <Section id="sign-ins" title={t("account.sessions.title")} description={t("account.sessions.summary")}>
        <TextLink to="/account/sessions">{t("account.sessions.open")}</TextLink>
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
