// /staff/studies/:year/awards: the study's pauses and awards for staff (spec/season.md). Its
// loader also feeds the panels on the study page (a fetcher); its action takes the pause
// forms of both and sends the browser back to the study page once done.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { useT } from "~/i18n/i18n";
import { PauseError, staffAwardsOverview, pauseInStudy, unpauseInStudy } from "~/models/studies/pauses.server";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { parseWithZod } from "~/ui/form";
import { PageHeader } from "~/ui/page-header";
import { PauseSchema, StaffAwards, UnpauseSchema, type StaffAwardsAction } from "~/ui/staff-awards";

export const meta: MetaFunction = ({ params }) => [{ title: `Priser ${params.year ?? ""} – Innsikt` }];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);
  return staffAwardsOverview(db, study);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, study, staff: { user } } = await requireStaffStudy(request, params);
  const form = await request.formData();
  const back = `/staff/studies/${study.year}#pauses`;
  if (form.get("intent") === "unpause") {
    const submission = parseWithZod(form, { schema: UnpauseSchema });
    if (submission.status !== "success") return data<StaffAwardsAction>({ intent: "unpause", reply: submission.reply({ formErrors: ["pause.error.notFound"] }) }, { status: 400 });
    try {
      await unpauseInStudy(db, { studyId: study.id, pauseId: submission.value.pauseId, userId: user.id });
    } catch (error) {
      if (error instanceof PauseError) return data<StaffAwardsAction>({ intent: "unpause", reply: submission.reply({ formErrors: ["pause.error.notFound"] }) }, { status: 404 });
      throw error;
    }
    throw redirect(back);
  }
  const submission = parseWithZod(form, { schema: PauseSchema });
  if (submission.status !== "success") return data<StaffAwardsAction>({ intent: "pause", reply: submission.reply() }, { status: 400 });
  const { subject, reason } = submission.value;
  const [kind, code] = [subject.slice(0, subject.indexOf(":")), subject.slice(subject.indexOf(":") + 1)];
  try {
    await pauseInStudy(db, { studyId: study.id, subject: kind === "class" ? { classCode: code } : { participantCode: code }, reason, userId: user.id });
  } catch (error) {
    if (error instanceof PauseError) {
      const key = error.code === "exists" ? "pause.error.exists" : error.code === "reason" ? "pause.error.reason" : "pause.error.unknown";
      return data<StaffAwardsAction>({ intent: "pause", reply: submission.reply({ formErrors: [key] }) }, { status: error.code === "exists" ? 409 : 400 });
    }
    throw error;
  }
  throw redirect(back);
}

export default function StudyAwardsPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() ?? null;
  const t = useT();
  return (
    <div className="space-y-8">
      <PageHeader
        title={`${t("awards.staff.title")} ${loaderData.year}`}
        back={<TextLink to={`/staff/studies/${loaderData.year}`}>{String(loaderData.year)}</TextLink>}
      />
      <StaffAwards data={loaderData} actionData={actionData} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
