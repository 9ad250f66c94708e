import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { TextLink } from "./button";
import { PageHeader } from "./page-header";
import { Card } from "./section";

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
    <Card className="mx-auto max-w-xl space-y-4">
      <PageHeader title={title} intro={body} />
      <p>
        <TextLink to="/">{t("error.backHome")}</TextLink>
      </p>
    </Card>
  );
}
