import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime, formatScore } from "~/domain/format";
import { ROLES } from "~/domain/types";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { getDefaultBookingCap, setCompanyBookingCap } from "~/models/coaching/coaching-offer.server";
import { findCompanyByCode, getCompany } from "~/models/admin/company-admin.server";
import { deleteCompany } from "~/models/admin/company-data.server";
import { listInvitations } from "~/models/accounts/invitation.server";
import { AlreadyMemberError, changeMemberRole, inviteMember, LastManagerError, resendInvitation, revokeInvitation, revokeMembership, type MemberActor } from "~/models/accounts/members.server";
import { deliverOutbox } from "~/mail/outbox.server";
import { submitSsoForm } from "~/models/accounts/sso-form.server";
import { readSsoSettings, ssoCallbackUrl } from "~/models/accounts/sso.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { withParams } from "~/ui/field";
import { ErrorSummary, parseWithZod, replyFor, SchemaForm, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { InviteForm, InviteSchema, RevokeMemberForm, RoleChangeForm } from "~/ui/members";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";
import { SsoSettingsForm } from "~/ui/sso-settings";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.company.name ?? "Bedrift"} – Innsikt` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db } = await getDatabase();
  const found = await getCompany(db, String(params.code));
  if (!found) throw notFound();
  const invitations = await listInvitations(db, found.company.id);
  const now = Date.now();
  return {
    ...found,
    defaultBookingCap: await getDefaultBookingCap(db),
    sso: await readSsoSettings(db, found.company.id),
    ssoRedirectUri: ssoCallbackUrl(),
    invitations: invitations.map((i) => ({
      ...i,
      state: i.acceptedAt ? "used" : i.revokedAt ? "revoked" : new Date(i.expiresAt).getTime() <= now ? "expired" : "open",
    })),
  };
}

// Empty: the default of /staff/coaching again. The database checks 0–1000 as well.
const CapSchema = z.object({
  cap: z.number({ error: "coaching.cap.error" }).int({ error: "coaching.cap.error" }).min(0, { error: "coaching.cap.error" }).max(1000, { error: "coaching.cap.error" }).optional(),
});
/** Deleting asks for the company's code, typed exactly. */
const deleteSchema = (code: string) => {
  const mismatch = withParams("staff.company.delete.confirmMismatch", { code });
  return z.object({ confirm: z.string({ error: mismatch }).trim().refine((typed) => typed === code, { error: mismatch }) });
};

type ActionData = { intent: string; ok: boolean; message: string | null; link: string | null; reply: FormReply | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const company = await findCompanyByCode(db, String(params.code));
  if (!company) throw notFound();
  const formData = await request.formData();
  const form = Object.fromEntries(formData);
  const intent = String(form.intent ?? "");
  const done = (message: string, more: Partial<ActionData> = {}): ActionData => ({ intent, ok: true, message, link: null, reply: null, ...more });
  const refused = (more: Partial<ActionData>, status = 400) => data<ActionData>({ intent, ok: false, message: null, link: null, reply: null, ...more }, { status });
  const actor: MemberActor = { userId: user.id, staff: true };
  // The same rules as on the company's own members page (~/models/accounts/members.server).
  const lastManager = () => refused({ message: translate(locale, "members.lastManager") }, 409);
  if (intent === "invite") {
    const submission = parseWithZod(formData, { schema: InviteSchema });
    if (submission.status !== "success") return refused({ reply: submission.reply() });
    const { email, role } = submission.value;
    let link: string;
    try {
      ({ link } = await inviteMember(db, { tenantId: company.id, email, role, actor }));
    } catch (error) {
      if (error instanceof AlreadyMemberError) return refused({ reply: submission.reply({ fieldErrors: { email: [withParams("members.invite.alreadyMember", { email })] } }) }, 409);
      throw error;
    }
    const delivered = await deliverOutbox(db);
    const failed = delivered.some((d) => !d.ok);
    return done(translate(locale, failed ? "staff.invite.queued" : "staff.invite.sent", { email }), { link, reply: submission.reply({ resetForm: true }) });
  }
  if (intent === "change-role") {
    const userId = z.uuid().safeParse(form.userId);
    const role = z.enum(ROLES).safeParse(form.role);
    if (!userId.success) throw notFound();
    if (!role.success) return refused({ message: translate(locale, "staff.invite.roleInvalid") });
    let outcome;
    try {
      outcome = await changeMemberRole(db, { tenantId: company.id, userId: userId.data, role: role.data, actor });
    } catch (error) {
      if (error instanceof LastManagerError) return lastManager();
      throw error;
    }
    if (!outcome) throw notFound();
    return done(translate(locale, outcome === "changed" ? "staff.people.roleChanged" : "staff.people.roleUnchanged", { role: translate(locale, `role.${role.data}`) }));
  }
  if (intent === "revoke-member") {
    const userId = z.uuid().safeParse(form.userId);
    if (!userId.success) throw notFound();
    let revoked;
    try {
      revoked = await revokeMembership(db, { tenantId: company.id, userId: userId.data, actor });
    } catch (error) {
      if (error instanceof LastManagerError) return lastManager();
      throw error;
    }
    if (!revoked) throw notFound();
    return done(translate(locale, "staff.people.revoked"));
  }
  if (intent === "revoke-invitation") {
    const id = z.uuid().safeParse(form.invitationId);
    if (!id.success || !(await revokeInvitation(db, { tenantId: company.id, invitationId: id.data, actor }))) throw notFound();
    return done(translate(locale, "staff.invitations.revoked"));
  }
  if (intent === "resend-invitation") {
    const id = z.uuid().safeParse(form.invitationId);
    if (!id.success) throw notFound();
    let resent;
    try {
      resent = await resendInvitation(db, { tenantId: company.id, invitationId: id.data, actor });
    } catch (error) {
      if (error instanceof AlreadyMemberError) return refused({ message: translate(locale, "members.invitations.alreadyMember", { email: error.email }) }, 409);
      throw error;
    }
    if (!resent) throw notFound();
    await deliverOutbox(db);
    return done(translate(locale, "members.invitations.resent", { email: resent.email }));
  }
  if (intent === "sso" || intent === "sso-remove") {
    const { status, answer } = await submitSsoForm(db, formData, { tenantId: company.id, actorUserId: user.id });
    return data<ActionData>({ intent, ok: answer.ok, message: answer.message && translate(locale, answer.message), link: null, reply: answer.reply }, { status });
  }
  if (intent === "booking-cap") {
    const submission = parseWithZod(formData, { schema: CapSchema });
    if (submission.status !== "success") return refused({ reply: submission.reply() });
    await setCompanyBookingCap(db, { tenantId: company.id, cap: submission.value.cap ?? null, actorUserId: user.id });
    return done(translate(locale, "coaching.cap.saved"), { reply: submission.reply() });
  }
  if (intent === "delete") {
    const submission = parseWithZod(formData, { schema: deleteSchema(company.code) });
    if (submission.status !== "success") return refused({ reply: submission.reply() });
    const deleted = await deleteCompany(db, company.id, user.id);
    if (!deleted) throw notFound();
    throw redirect(`/staff/companies?deleted=${encodeURIComponent(deleted.name)}`);
  }
  throw notFound();
}

function CapForm({ cap, defaultCap, lastResult }: { cap: number | null; defaultCap: number; lastResult: FormReply | null }) {
  const t = useT();
  const [form, fields] = useSchemaForm(CapSchema, { id: "booking-cap", lastResult, defaultValue: { cap: cap === null ? "" : String(cap) } });
  return (
    <>
      <ErrorSummary form={form} labels={{ cap: t("coaching.cap.company") }} className="mb-4" />
      <SchemaForm form={form} method="post" className="flex flex-wrap items-start gap-3">
        <TextField meta={fields.cap} type="number" label={t("coaching.cap.company")} help={t("coaching.cap.companyHelp", { cap: defaultCap })} className="w-full sm:w-96" />
        <Button name="intent" value="booking-cap" className="sm:mt-6">
          {t("coaching.cap.save")}
        </Button>
      </SchemaForm>
    </>
  );
}

function DeleteForm({ code, lastResult, busy }: { code: string; lastResult: FormReply | null; busy: boolean }) {
  const t = useT();
  const [form, fields] = useSchemaForm(deleteSchema(code), { id: "delete", lastResult });
  return (
    <>
      <ErrorSummary form={form} labels={{ confirm: t("staff.company.delete.confirm") }} className="mb-4" />
      <SchemaForm form={form} method="post" className="flex flex-wrap items-start gap-3">
        <TextField meta={fields.confirm} autoComplete="off" label={t("staff.company.delete.confirm")} help={t("staff.company.delete.help", { code })} className="w-full max-w-3xl" />
        <Button name="intent" value="delete" tone="danger" busy={busy} className="sm:mt-6">
          {t("staff.company.delete.submit")}
        </Button>
      </SchemaForm>
    </>
  );
}

export default function CompanyPage() {
  const { company, participations, people, invitations, defaultBookingCap, sso, ssoRedirectUri } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const sending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const t = useT();
  const locale = useLocale();
  type Participation = (typeof participations)[number];
  type Person = (typeof people)[number];
  const participationColumns: Column<Participation>[] = [
    { key: "year", header: t("staff.studies.year"), rowHeader: true, cell: (p) => <TextLink to={`/staff/studies/${p.year}`}>{p.year}</TextLink> },
    { key: "status", header: t("staff.studies.status"), cell: (p) => t(`status.${p.status}`) },
    { key: "class", header: t("staff.company.class"), cell: (p) => p.className },
    { key: "shownAs", header: t("staff.company.shownAs"), cell: (p) => p.displayName },
    { key: "inquiries", header: t("staff.studies.inquiries"), numeric: true, cell: (p) => p.inquiries },
    { key: "score", header: t("staff.company.totalScore"), numeric: true, cell: (p) => (p.totalScore === null ? "–" : formatScore(p.totalScore, locale)) },
  ];
  const peopleColumns: Column<Person>[] = [
    { key: "name", header: t("staff.people.name"), rowHeader: true, cell: (p) => p.name },
    { key: "email", header: t("staff.people.email"), cell: (p) => p.email },
    { key: "lastLogin", header: t("members.list.lastLogin"), cell: (p) => (p.lastLoginAt ? formatDateTime(new Date(p.lastLoginAt), locale) : t("members.lastLogin.never")) },
    {
      key: "role",
      header: t("staff.people.role"),
      cell: (p) => <RoleChangeForm userId={p.userId} name={p.name} role={p.role} selectKey={p.role} className="w-40" />,
    },
    {
      key: "actions",
      header: <span className="sr-only">{t("staff.people.actions")}</span>,
      className: "text-right",
      cell: (p) => <RevokeMemberForm userId={p.userId} name={p.name} />,
    },
  ];
  const banner = actionData?.message && actionData.intent !== "invite" ? actionData : null;
  return (
    <div className="space-y-8">
      <PageHeader
        title={company.name}
        back={<TextLink to="/staff/companies">{t("staff.companies.title")}</TextLink>}
        intro={
          <>
            {t("staff.companies.code")}: <span className="font-mono">{company.code}</span>
            {company.orgNumber && (
              <>
                {" · "}
                {t("staff.companies.orgNumber")}: {company.orgNumber}
              </>
            )}
          </>
        }
      />

      {banner && <Notice tone={banner.ok ? "success" : "error"}>{banner.message}</Notice>}

      <Section id="participations" title={t("staff.company.participations")} plain>
        <DataTable
          caption={t("staff.company.participations")}
          captionHidden
          columns={participationColumns}
          rows={participations}
          rowKey={(p) => String(p.year)}
          empty={t("staff.company.noParticipations")}
        />
      </Section>

      <Section id="cap" title={t("coaching.cap.title")}>
        <CapForm cap={company.openBookingsCap} defaultCap={defaultBookingCap} lastResult={replyFor(actionData, "booking-cap")} />
      </Section>

      <Section id="people" title={t("staff.people.title")} plain>
        <DataTable caption={t("staff.people.title")} captionHidden columns={peopleColumns} rows={people} rowKey={(p) => p.userId} empty={t("staff.people.none")} />
      </Section>

      <Section id="invite" title={t("staff.invite.title")}>
        <InviteForm
          lastResult={replyFor(actionData, "invite")}
          busy={sending("invite")}
          defaultRole="manager"
          labels={{ email: t("staff.people.email"), role: t("staff.people.role"), submit: t("staff.invite.submit") }}
          emailClassName="w-full sm:w-80"
        />
        {actionData?.intent === "invite" && actionData.ok && (
          <Notice tone="success" id="invite-result" className="mt-4">
            <p>{actionData.message}</p>
            {actionData.link && (
              <p className="mt-2 text-sm">
                {t("staff.invite.link")}{" "}
                <a href={actionData.link} className="break-all font-mono text-blue-700 underline" data-testid="invitation-link">
                  {actionData.link}
                </a>
              </p>
            )}
          </Notice>
        )}
      </Section>

      <Section id="invitations" title={t("staff.invitations.title")} plain>
        {invitations.length === 0 ? (
          <p className="text-gray-700">{t("staff.invitations.none")}</p>
        ) : (
          <ul className="space-y-2">
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-3">
                <span>
                  {i.email} – {t(`role.${i.role}`)} – {t(`staff.invitations.state.${i.state as "open"}`)} ({formatDateTime(new Date(i.createdAt), locale)})
                </span>
                {(i.state === "open" || i.state === "expired") && (
                  <Form method="post" className="flex flex-wrap gap-2">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <Button name="intent" value="resend-invitation" tone="secondary" small aria-label={t("members.invitations.resendLabel", { email: i.email })}>
                      {t("members.invitations.resend")}
                    </Button>
                    <Button name="intent" value="revoke-invitation" tone="secondary" small>
                      {t("staff.invitations.revoke")}
                    </Button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="sso" title={t("staff.company.sso")} description={<p className="max-w-3xl">{t("sso.intro")}</p>}>
        <SsoSettingsForm settings={sso} redirectUri={ssoRedirectUri} lastResult={replyFor(actionData, "sso")} busy={sending("sso")} />
      </Section>

      <Section id="privacy" title={t("staff.company.privacy")} description={<p className="max-w-3xl">{t("staff.company.export.help")}</p>}>
        <Form method="post" action={`/staff/companies/${encodeURIComponent(company.code)}/export`} reloadDocument>
          <Button tone="secondary">{t("staff.company.export.submit")}</Button>
        </Form>
        <Section id="delete" level={3} plain title={t("staff.company.delete.title")} className="mt-6 border-t border-gray-200 pt-4">
          <DeleteForm code={company.code} lastResult={replyFor(actionData, "delete")} busy={sending("delete")} />
        </Section>
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
