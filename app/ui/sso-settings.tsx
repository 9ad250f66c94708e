import { Form } from "@remix-run/react";
import { SsoSettingsSchema } from "~/domain/sso";
import { useT } from "~/i18n/i18n";
import { Button } from "./button";
import { CheckboxField } from "./checkbox-field";
import { ErrorSummary, SchemaForm, TextareaField, TextField, useSchemaForm, type FormReply } from "./form";

export interface SsoSettingsView {
  issuer: string;
  clientId: string;
  passwordAllowed: boolean;
  selfRegistration: boolean;
  domains: string[];
}

/** The single sign-on settings of one company, for its manager and for staff (the same form). */
export function SsoSettingsForm({ settings, redirectUri, lastResult, busy }: { settings: SsoSettingsView | null; redirectUri: string; lastResult: FormReply | null; busy: boolean }) {
  const t = useT();
  const [form, fields] = useSchemaForm(SsoSettingsSchema, {
    id: "sso",
    lastResult,
    defaultValue: { issuer: settings?.issuer ?? "", clientId: settings?.clientId ?? "", domains: settings?.domains.join(", ") ?? "" },
  });
  return (
    <div className="space-y-4">
      <p className="text-sm">
        {t("sso.redirectUri")} <code className="break-all font-mono">{redirectUri}</code>
      </p>
      <ErrorSummary form={form} labels={{ issuer: t("sso.issuer"), clientId: t("sso.clientId"), clientSecret: t("sso.clientSecret"), domains: t("sso.domains") }} />
      <SchemaForm form={form} method="post" className="space-y-5">
        <TextField meta={fields.issuer} type="url" label={t("sso.issuer")} help={t("sso.issuer.help")} autoComplete="off" className="max-w-2xl" />
        <TextField meta={fields.clientId} label={t("sso.clientId")} autoComplete="off" className="max-w-2xl" />
        <TextField
          meta={fields.clientSecret}
          type="password"
          label={t("sso.clientSecret")}
          help={settings ? t("sso.clientSecret.set") : t("sso.clientSecret.help")}
          optional={Boolean(settings)}
          autoComplete="new-password"
          className="max-w-2xl"
        />
        <TextareaField meta={fields.domains} label={t("sso.domains")} help={t("sso.domains.help")} rows={2} className="max-w-2xl" />
        <CheckboxField meta={fields.passwordAllowed} defaultChecked={settings ? settings.passwordAllowed : true} label={t("sso.passwordAllowed")} help={t("sso.passwordAllowed.help")} />
        <CheckboxField meta={fields.selfRegistration} defaultChecked={settings?.selfRegistration ?? false} label={t("sso.selfRegistration")} help={t("sso.selfRegistration.help")} />
        <Button name="intent" value="sso" busy={busy}>
          {t("sso.save")}
        </Button>
      </SchemaForm>
      {settings && (
        <Form method="post" className="border-t border-gray-200 pt-4">
          <Button name="intent" value="sso-remove" tone="danger">
            {t("sso.remove")}
          </Button>
        </Form>
      )}
    </div>
  );
}
