import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "~/i18n/i18n";

/** One error boundary for every route: 403 and 404 get their own words, anything else a calm message. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let title = t("error.title");
  let body = t("error.server.body");
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t("error.notFound.title");
      body = t("error.notFound.body");
    } else if (error.status === 403) {
      title = t("error.forbidden.title");
      body = error.data === "no-company" ? t("error.noCompany.body") : t("error.forbidden.body");
    }
  }
  return (
    <section className="mx-auto max-w-xl rounded-lg bg-white p-8 shadow" aria-labelledby="error-title">
      <h1 id="error-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <p className="mt-3 text-gray-700">{body}</p>
      <p className="mt-6">
        <Link to="/" className="font-medium text-blue-700 underline">
          {t("error.backHome")}
        </Link>
      </p>
    </section>
  );
}
