// First: the browser's zod must be jitless before any module defines a schema (app/zod-jitless.ts).
import "~/zod-jitless";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getMemberships, getSessionUser } from "~/auth/guards.server";
import { localeFromRequest } from "~/i18n/locale.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { AppShell, type ShellTenant, type ShellUser } from "~/ui/layout";
import { useNonce } from "~/ui/nonce";
import styles from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Innsikt – Kundeserviceprisen" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request);
  const found = await getSessionUser(request);
  let user: ShellUser | null = null;
  let tenant: ShellTenant | null = null;
  if (found) {
    user = { name: found.user.name, email: found.user.email, isStaff: found.user.isStaff };
    tenant = await getMemberships(request, found);
  }
  return { locale, user, tenant };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang={data?.locale === "en" ? "en" : "nb"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        <AppShell user={data?.user ?? null} tenant={data?.tenant ?? null}>
          {children}
        </AppShell>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
