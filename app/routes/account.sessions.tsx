import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { endOwnSession, invalidateUserSessions, listUserSessions } from "~/models/accounts/session.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

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

export default function SessionsPage() {
  const { sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-semibold">{t("account.sessions.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("account.sessions.intro")}</p>
      </div>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`rounded border p-4 ${result.ok ? "border-green-700 bg-green-50 text-green-900" : "border-red-700 bg-red-50 text-red-900"}`}>
          {result.message}
        </p>
      )}
      <div className="overflow-x-auto rounded-lg bg-white shadow">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("account.sessions.title")}</caption>
          <thead>
            <tr className="border-b border-gray-300">
              <th scope="col" className="px-4 py-2">{t("account.sessions.device")}</th>
              <th scope="col" className="px-4 py-2">{t("account.sessions.signedIn")}</th>
              <th scope="col" className="px-4 py-2">{t("account.sessions.lastSeen")}</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">{t("companyCoaching.actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.handle} className="border-b border-gray-200 last:border-0">
                <td className="px-4 py-2">{s.device}{s.current && <strong className="ml-2">({t("account.sessions.thisOne")})</strong>}</td>
                <td className="px-4 py-2">{formatDateTime(new Date(s.createdAt), locale)}</td>
                <td className="px-4 py-2">{formatDateTime(new Date(s.lastSeenAt), locale)}</td>
                <td className="px-4 py-2">
                  {!s.current && (
                    <Form method="post">
                      <input type="hidden" name="session" value={s.handle} />
                      <button type="submit" name="intent" value="end" disabled={busy} className="rounded border border-red-800 px-3 py-1 text-red-800 hover:bg-red-50">
                        {t("account.sessions.end")}<span className="sr-only">: {s.device}, {formatDateTime(new Date(s.lastSeenAt), locale)}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {others > 0 && (
        <Form method="post">
          <button type="submit" name="intent" value="end-others" disabled={busy} className="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">
            {t("account.sessions.endOthers", { count: others })}
          </button>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
