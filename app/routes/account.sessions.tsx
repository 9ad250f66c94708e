import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { endOwnSession, invalidateUserSessions, listUserSessions } from "~/models/accounts/session.server";
import { Button } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";

// The signed-in person's own sessions (devices): where they are signed in, and a way to end
// one or all the others, e.g. after using a shared computer. A session is named to the
// page by a handle (the first 16 hex characters of its stored hash), never by a token.

export const meta: MetaFunction = () => [{ title: "Innloggingene dine – Innsikt" }];

const handleOf = (id: string) => id.slice(0, 16);

/** A short description of a browser from its User-Agent, for recognising a device. */
function deviceOf(userAgent: string | null): string {
  if (!userAgent) return "–";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrome\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const system = /Windows/.test(userAgent) ? "Windows" : /Mac OS X|Macintosh/.test(userAgent) ? "macOS" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Linux/.test(userAgent) ? "Linux" : null;
  return browser || system ? [browser, system].filter(Boolean).join(", ") : userAgent.slice(0, 60);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireUser(request);
  const { db } = await getDatabase();
  const rows = await listUserSessions(db, user.id);
  return {
    sessions: rows
      .map((r) => ({ handle: handleOf(r.id), current: r.id === session.id, device: deviceOf(r.userAgent), createdAt: r.createdAt, lastSeenAt: r.lastSeenAt }))
      .sort((a, b) => Number(b.current) - Number(a.current) || +new Date(b.lastSeenAt) - +new Date(a.lastSeenAt)),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireUser(request);
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const { db } = await getDatabase();
  if (form.get("intent") === "end-others") {
    await invalidateUserSessions(db, user.id, session.id);
    return { ok: true as const, message: translate(locale, "account.sessions.endedOthers") };
  }
  if (form.get("intent") === "end") {
    const handle = String(form.get("session") ?? "");
    const target = /^[0-9a-f]{16}$/.test(handle) ? (await listUserSessions(db, user.id)).find((r) => handleOf(r.id) === handle && r.id !== session.id) : undefined;
    if (target && (await endOwnSession(db, user.id, target.id))) return { ok: true as const, message: translate(locale, "account.sessions.ended") };
    return data({ ok: false as const, message: translate(locale, "account.sessions.notFound") }, { status: 404 });
  }
  return data({ ok: false as const, message: translate(locale, "account.sessions.notFound") }, { status: 400 });
}

type SessionRow = ReturnType<typeof useLoaderData<typeof loader>>["sessions"][number];

export default function SessionsPage() {
  const { sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  const others = sessions.filter((s) => !s.current).length;
  const columns: Column<SessionRow>[] = [
    {
      key: "device",
      header: t("account.sessions.device"),
      cell: (s) => (
        <>
          {s.device}
          {s.current && <strong className="ml-2">({t("account.sessions.thisOne")})</strong>}
        </>
      ),
    },
    { key: "signedIn", header: t("account.sessions.signedIn"), cell: (s) => formatDateTime(new Date(s.createdAt), locale) },
    { key: "lastSeen", header: t("account.sessions.lastSeen"), cell: (s) => formatDateTime(new Date(s.lastSeenAt), locale) },
    {
      key: "actions",
      header: <span className="sr-only">{t("companyCoaching.actions")}</span>,
      cell: (s) =>
        !s.current && (
          <Form method="post">
            <input type="hidden" name="session" value={s.handle} />
            <Button tone="danger" small name="intent" value="end" disabled={busy}>
              {t("account.sessions.end")}
              <span className="sr-only">
                : {s.device}, {formatDateTime(new Date(s.lastSeenAt), locale)}
              </span>
            </Button>
          </Form>
        ),
    },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={t("account.sessions.title")} intro={<span className="block max-w-3xl">{t("account.sessions.intro")}</span>} />
      {result && <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice>}
      <DataTable caption={t("account.sessions.title")} captionHidden columns={columns} rows={sessions} rowKey={(s) => s.handle} empty="–" />
      {others > 0 && (
        <Form method="post">
          <Button tone="danger" name="intent" value="end-others" busy={busy}>
            {t("account.sessions.endOthers", { count: others })}
          </Button>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
