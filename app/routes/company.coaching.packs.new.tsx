import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { MAX_PACK_INQUIRIES, PACK_FORMATS } from "~/domain/coaching-pack";
import { inquirySearch, parseInquiryQuery } from "~/domain/inquiry-query";
import { translate, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { PackSelectionError, type PackSelection } from "~/models/coaching/coaching-pack.server";
import { startExport } from "~/models/coaching/coaching-exports.server";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card } from "~/ui/section";

// POST /company/coaching/packs/new: makes a coaching pack from the inquiry list's filter (the
// same fields as its URL) or from the inquiries ticked in it (`ref`), then shows its
// progress. Refusals are shown here (the loader runs again after the action, so it must
// not redirect); a plain GET explains where packs are made.

export const meta: MetaFunction = () => [{ title: "Coachingpakke – Innsikt" }];

const OwnFields = z.object({
  format: z.enum(PACK_FORMATS),
  agents: z.enum(["on"]).optional(),
  refs: z.array(z.string().trim().min(1).max(100).regex(/^[^\u0000]*$/)).max(MAX_PACK_INQUIRIES),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenantMember(request, "coaching:export");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:export");
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const filterParams = new URLSearchParams();
  for (const [key, value] of form) {
    if (typeof value === "string" && !["format", "agents", "ref", "page"].includes(key)) filterParams.append(key, value);
  }
  const parsedFilter = parseInquiryQuery(filterParams);
  const own = OwnFields.safeParse({
    format: form.get("format"),
    agents: form.get("agents") ?? undefined,
    refs: form.getAll("ref").filter((v): v is string => typeof v === "string"),
  });
  const back = `/company/inquiries${parsedFilter.ok ? inquirySearch(parsedFilter.query) : ""}`;
  if (!parsedFilter.ok || !own.success || parsedFilter.query.study === undefined) {
    const field = !parsedFilter.ok ? parsedFilter.field : !own.success ? String(own.error.issues[0]?.path[0] ?? "") : "study";
    return data({ error: translate(locale, "companyCoaching.pack.badField", { field }), back }, { status: 400 });
  }
  const { study, ...rest } = parsedFilter.query;
  const filter: PackSelection["filter"] = { ...rest };
  delete (filter as { page?: number }).page;
  const selection: PackSelection = {
    study,
    filter,
    ...(own.data.refs.length > 0 ? { refs: own.data.refs } : {}),
    includeAgentNames: own.data.agents === "on",
  };
  const { db } = await getDatabase();
  try {
    const started = await startExport(db, {
      tenantId: member.tenantId,
      companyName: member.tenantName,
      userId: member.userId,
      format: own.data.format,
      selection,
      locale,
    });
    if (!started) throw notFound();
    return redirect(`/company/coaching/packs/${started.id}`);
  } catch (error) {
    if (!(error instanceof PackSelectionError)) throw error;
    const message =
      error.reason === "empty"
        ? translate(locale, "companyCoaching.pack.empty")
        : error.reason === "tooMany"
          ? translate(locale, "companyCoaching.pack.tooMany", { max: MAX_PACK_INQUIRIES })
          : translate(locale, "companyCoaching.pack.unknownRef", { ref: error.detail });
    return data({ error: message, back }, { status: 400 });
  }
}

export default function PackRefused() {
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <Card className="space-y-4">
      <PageHeader title={t("companyCoaching.pack.title")} />
      {result?.error ? <Notice tone="error">{result.error}</Notice> : <p className="text-gray-800">{t("companyCoaching.pack.howTo")}</p>}
      <p>
        <TextLink to={result?.back ?? "/company/inquiries"}>{t("companyCoaching.pack.back")}</TextLink>
      </p>
    </Card>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
