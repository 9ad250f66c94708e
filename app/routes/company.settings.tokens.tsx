import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/accounts/api-token.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Field, TextInput } from "~/ui/field";
import { ErrorSummary, parseWithZod, SchemaForm, TextField, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { RowActionForm } from "~/ui/row-action";
import { SettingsTabs } from "~/ui/section-tabs";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "API-nøkler – Innsikt" }];

// The page can carry a freshly created token: never let a cache keep it.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "tokens:manage");
  const { db } = await getDatabase();
  const tokens = await withTenant(db, member.tenantId, (scope) => listApiTokens(scope));
  return { tokens };
}

// Messages are catalogue keys (see app/ui/form.tsx).
const CreateSchema = z.object({
  name: z
    .string({ error: "api.tokens.create.nameRequired" })
    .trim()
    .min(1, { error: "api.tokens.create.nameRequired" })
    .max(100, { error: "api.tokens.create.nameTooLong" })
    .regex(/^[^\u0000]*$/, { error: "api.tokens.create.nameRequired" }),
});

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "tokens:manage");
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "create") {
    const submission = parseWithZod(form, { schema: CreateSchema });
    if (submission.status !== "success") return data({ intent, reply: submission.reply(), created: null, message: null }, { status: 400 });
    const { name } = submission.value;
    const { token } = await withTenant(db, member.tenantId, ({ tx }) => createApiToken(tx, { tenantId: member.tenantId, name, createdBy: member.userId }));
    // The plaintext exists only in this response; the database keeps its SHA-256.
    return { intent, reply: submission.reply({ resetForm: true }), created: { name, token }, message: null };
  }

  if (intent === "revoke") {
    const tokenId = z.uuid().safeParse(form.get("tokenId"));
    // Another company's token id is simply not found here: 404, as for any id not ours.
    const revoked = tokenId.success
      ? await withTenant(db, member.tenantId, (scope) => revokeApiToken(scope, { tokenId: tokenId.data, actorUserId: member.userId }))
      : null;
    if (!revoked) throw notFound();
    return { intent, reply: null, created: null, message: translate(locale, "api.tokens.revoked", { name: revoked.name }) };
  }

  throw new Response("Bad Request", { status: 400, statusText: "Bad Request" });
}

type TokenRow = ReturnType<typeof useLoaderData<typeof loader>>["tokens"][number];

export default function ApiTokensPage() {
  const { tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useSchemaForm(CreateSchema, { id: "token", lastResult: actionData?.intent === "create" ? actionData.reply : null });
  const columns: Column<TokenRow>[] = [
    { key: "name", header: t("api.tokens.list.name"), cell: (token) => token.name, rowHeader: true },
    { key: "created", header: t("api.tokens.list.createdAt"), cell: (token) => formatDateTime(new Date(token.createdAt), locale) },
    { key: "by", header: t("api.tokens.list.createdBy"), cell: (token) => token.createdByName ?? "–" },
    { key: "used", header: t("api.tokens.list.lastUsedAt"), cell: (token) => (token.lastUsedAt ? formatDateTime(new Date(token.lastUsedAt), locale) : t("api.tokens.list.never")) },
    {
      key: "status",
      header: t("api.tokens.list.status"),
      cell: (token) => (token.revokedAt ? t("api.tokens.status.revoked", { date: formatDateTime(new Date(token.revokedAt), locale) }) : t("api.tokens.status.active")),
    },
    {
      key: "actions",
      header: <span className="sr-only">{t("api.tokens.list.actions")}</span>,
      className: "text-right",
      cell: (token) =>
        !token.revokedAt && (
          <RowActionForm idName="tokenId" id={token.id} intent="revoke" disabled={busy} label={t("api.tokens.revokeLabel", { name: token.name })}>
            {t("api.tokens.revoke")}
          </RowActionForm>
        ),
    },
  ];

  return (
    <div className="space-y-8">
      <SettingsTabs />
      <PageHeader
        title={t("api.tokens.title")}
        intro={
          <>
            <span className="block max-w-3xl">{t("api.tokens.intro")}</span>
            <span className="mt-2 block">
              <TextLink to="/api/v1/openapi.json" reloadDocument>
                {t("api.tokens.docs")}
              </TextLink>
            </span>
          </>
        }
      />

      {actionData?.created && <NewToken name={actionData.created.name} token={actionData.created.token} />}
      {actionData?.message && <Notice tone="success">{actionData.message}</Notice>}

      <Section id="create" title={t("api.tokens.create.title")}>
        <ErrorSummary form={form} labels={{ name: t("api.tokens.create.name") }} className="mb-4" />
        <SchemaForm form={form} method="post" className="flex flex-wrap items-start gap-4">
          <TextField meta={fields.name} label={t("api.tokens.create.name")} help={t("api.tokens.create.nameHelp")} autoComplete="off" className="w-80 max-w-full" />
          <Button name="intent" value="create" busy={busy} className="sm:mt-6">
            {t("api.tokens.create.submit")}
          </Button>
        </SchemaForm>
      </Section>

      <Section id="tokens" title={t("api.tokens.list.title")} plain>
        <DataTable caption={t("api.tokens.list.title")} captionHidden columns={columns} rows={tokens} rowKey={(token) => token.id} empty={t("api.tokens.list.none")} />
      </Section>
    </div>
  );
}

/** The token, once: a read-only field to select or copy, and how to use it. */
function NewToken({ name, token }: { name: string; token: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // Move focus to the new token so a keyboard or screen-reader user lands on it.
  useEffect(() => box.current?.focus(), [token]);
  return (
    <div role="region" aria-labelledby="new-token-title" tabIndex={-1} ref={box}>
      <Notice tone="success" live={false}>
        <h2 id="new-token-title" className="text-lg font-semibold">
          {t("api.tokens.created.title", { name })}
        </h2>
        <p className="mt-2 font-medium">{t("api.tokens.created.once")}</p>
        <Field id="new-token" label={t("api.tokens.created.label")} className="mt-4">
          {(control) => (
            <div className="flex flex-wrap gap-2">
              <TextInput {...control} readOnly value={token} onFocus={(event) => event.currentTarget.select()} data-testid="new-token" className="min-w-0 flex-1 font-mono" />
              <Button type="button" tone="secondary" onClick={() => void navigator.clipboard?.writeText(token).then(() => setCopied(true))}>
                {t("api.tokens.created.copy")}
              </Button>
            </div>
          )}
        </Field>
        <p role="status" className="mt-2 text-sm">
          {copied ? t("api.tokens.created.copied") : ""}
        </p>
        <p className="mt-2 text-sm">{t("api.tokens.created.usage")}</p>
      </Notice>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
