import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { translate, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/accounts/api-token.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "API-nøkler – Innsikt" }];

// The page can carry a freshly created token: never let a cache keep it.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "tokens:manage");
  const { db } = await getDatabase();
  const tokens = await withTenant(db, member.tenantId, (scope) => listApiTokens(scope));
  return { tokens };
}

const CreateSchema = z.object({
  name: z.string().trim().min(1, { error: "api.tokens.create.nameRequired" }).max(100, { error: "api.tokens.create.nameTooLong" }).regex(/^[^\u0000]*$/, { error: "api.tokens.create.nameRequired" }),
});

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "tokens:manage");
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "create") {
    const parsed = CreateSchema.safeParse({ name: form.get("name") ?? "" });
    if (!parsed.success) {
      const message = translate(locale, parsed.error.issues[0]!.message as MessageKey);
      return data({ intent, ok: false as const, message, name: String(form.get("name") ?? ""), token: null }, { status: 400 });
    }
    const { token } = await withTenant(db, member.tenantId, ({ tx }) =>
      createApiToken(tx, { tenantId: member.tenantId, name: parsed.data.name, createdBy: member.userId }),
    );
    // The plaintext exists only in this response; the database keeps its SHA-256.
    return { intent, ok: true as const, message: translate(locale, "api.tokens.created.title", { name: parsed.data.name }), name: parsed.data.name, token };
  }

  if (intent === "revoke") {
    const tokenId = z.uuid().safeParse(form.get("tokenId"));
    // Another company's token id is simply not found here: 404, as for any id not ours.
    const revoked = tokenId.success
      ? await withTenant(db, member.tenantId, (scope) => revokeApiToken(scope, { tokenId: tokenId.data, actorUserId: member.userId }))
      : null;
    if (!revoked) throw notFound();
    return { intent, ok: true as const, message: translate(locale, "api.tokens.revoked", { name: revoked.name }), name: revoked.name, token: null };
  }

  throw new Response("Bad Request", { status: 400, statusText: "Bad Request" });
}

export default function ApiTokensPage() {
  const { tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const locale = useLocale();
  const createError = actionData?.intent === "create" && !actionData.ok ? actionData.message : null;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-semibold">{t("api.tokens.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("api.tokens.intro")}</p>
        <p className="mt-2">
          <a href="/api/v1/openapi.json" className="font-medium text-blue-700 underline hover:text-blue-900">
            {t("api.tokens.docs")}
          </a>
        </p>
      </div>

      {actionData?.ok && actionData.token && <NewToken name={actionData.name} token={actionData.token} />}
      {actionData?.ok && actionData.intent === "revoke" && (
        <p role="status" className="rounded border border-green-700 bg-green-50 p-4 text-green-900">
          {actionData.message}
        </p>
      )}

      <section aria-labelledby="create-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="create-title" className="text-xl font-semibold">
          {t("api.tokens.create.title")}
        </h2>
        <Form method="post" className="mt-4 flex flex-wrap items-end gap-4" noValidate>
          <div>
            <label htmlFor="token-name" className="block text-sm font-medium">
              {t("api.tokens.create.name")}
            </label>
            <input
              id="token-name"
              name="name"
              type="text"
              required
              maxLength={100}
              autoComplete="off"
              defaultValue={createError ? actionData?.name : ""}
              aria-invalid={createError ? true : undefined}
              aria-describedby={createError ? "token-name-help token-name-error" : "token-name-help"}
              className="mt-1 w-80 max-w-full rounded border-gray-500"
            />
            <p id="token-name-help" className="mt-1 text-sm text-gray-700">
              {t("api.tokens.create.nameHelp")}
            </p>
            {createError && (
              <p id="token-name-error" role="alert" className="mt-1 text-sm font-medium text-red-800">
                {createError}
              </p>
            )}
          </div>
          <button
            type="submit"
            name="intent"
            value="create"
            disabled={busy}
            className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-900 focus:ring-offset-2 disabled:opacity-60">
            {t("api.tokens.create.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title" className="text-xl font-semibold">
          {t("api.tokens.list.title")}
        </h2>
        {tokens.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("api.tokens.list.none")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left">
              <caption className="sr-only">{t("api.tokens.list.title")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-4 py-2">{t("api.tokens.list.name")}</th>
                  <th scope="col" className="px-4 py-2">{t("api.tokens.list.createdAt")}</th>
                  <th scope="col" className="px-4 py-2">{t("api.tokens.list.createdBy")}</th>
                  <th scope="col" className="px-4 py-2">{t("api.tokens.list.lastUsedAt")}</th>
                  <th scope="col" className="px-4 py-2">{t("api.tokens.list.status")}</th>
                  <th scope="col" className="px-4 py-2">
                    <span className="sr-only">{t("api.tokens.list.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id} className="border-b border-gray-100" data-token-id={token.id}>
                    <th scope="row" className="px-4 py-2 font-medium">{token.name}</th>
                    <td className="px-4 py-2">{formatDateTime(new Date(token.createdAt), locale)}</td>
                    <td className="px-4 py-2">{token.createdByName ?? "–"}</td>
                    <td className="px-4 py-2">{token.lastUsedAt ? formatDateTime(new Date(token.lastUsedAt), locale) : t("api.tokens.list.never")}</td>
                    <td className="px-4 py-2">
                      {token.revokedAt
                        ? t("api.tokens.status.revoked", { date: formatDateTime(new Date(token.revokedAt), locale) })
                        : t("api.tokens.status.active")}
                    </td>
                    <td className="px-4 py-2 text-right">
                      {!token.revokedAt && (
                        <Form method="post">
                          <input type="hidden" name="tokenId" value={token.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="revoke"
                            disabled={busy}
                            aria-label={t("api.tokens.revokeLabel", { name: token.name })}
                            className="rounded border border-red-800 px-3 py-1 text-sm text-red-800 hover:bg-red-50 focus:outline-none focus:ring-2 focus:ring-red-800 focus:ring-offset-2 disabled:opacity-60">
                            {t("api.tokens.revoke")}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** The token, once: a read-only field to select or copy, and how to use it. */
function NewToken({ name, token }: { name: string; token: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLElement>(null);
  // Move focus to the new token so a keyboard or screen-reader user lands on it.
  useEffect(() => box.current?.focus(), [token]);
  return (
    <section aria-labelledby="new-token-title" className="rounded-lg border-2 border-green-700 bg-green-50 p-6" tabIndex={-1} ref={box}>
      <h2 id="new-token-title" className="text-xl font-semibold text-green-900">
        {t("api.tokens.created.title", { name })}
      </h2>
      <p className="mt-2 font-medium text-gray-900">{t("api.tokens.created.once")}</p>
      <label htmlFor="new-token" className="mt-4 block text-sm font-medium">
        {t("api.tokens.created.label")}
      </label>
      <div className="mt-1 flex flex-wrap gap-2">
        <input
          id="new-token"
          readOnly
          value={token}
          onFocus={(event) => event.currentTarget.select()}
          data-testid="new-token"
          className="w-full max-w-xl rounded border-gray-500 bg-white font-mono text-sm"
        />
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(token).then(() => setCopied(true))}
          className="rounded border border-gray-600 bg-white px-3 py-1 text-sm font-medium hover:bg-gray-50 focus:outline-none focus:ring-2 focus:ring-blue-900 focus:ring-offset-2">
          {t("api.tokens.created.copy")}
        </button>
      </div>
      <p role="status" className="mt-2 text-sm text-green-900">
        {copied ? t("api.tokens.created.copied") : ""}
      </p>
      <p className="mt-2 text-sm text-gray-800">{t("api.tokens.created.usage")}</p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
