import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { ROLES } from "~/domain/types";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import {
  AlreadyMemberError,
  changeMemberRole,
  inviteMember,
  LastManagerError,
  listMembers,
  listPendingInvitations,
  resendInvitation,
  revokeInvitation,
  revokeMembership,
  type MemberActor,
} from "~/models/accounts/members.server";
import { Button } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { withParams } from "~/ui/field";
import { parseWithZod, replyFor, type FormReply } from "~/ui/form";
import { InviteForm, InviteSchema, RevokeMemberForm, RoleChangeForm } from "~/ui/members";
import { Notice } from "~/ui/notice";
import { SettingsTabs } from "~/ui/section-tabs";
import { CompanyPageHeader } from "~/ui/company-page-header";
import { Section } from "~/ui/section";

// A manager runs the company's team: invites by e-mail with a role, changes roles, removes
// access, sends or withdraws invitations. The company is the session's, never the form's; an
// id of anyone outside it is simply not found (404). The company always keeps an active manager.

export const meta: MetaFunction = () => [{ title: "Personer og tilganger – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "members:manage");
  const { db } = await getDatabase();
  const [people, invitations] = await Promise.all([listMembers(db, member.tenantId), listPendingInvitations(db, member.tenantId)]);
  return { companyName: member.tenantName, me: member.userId, people, invitations };
}

type ActionData = { intent: string; ok: boolean; message: string | null; reply: FormReply | null };

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "members:manage");
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const actor: MemberActor = { userId: member.userId, staff: false };
  const tenantId = member.tenantId;
  const done = (message: string, reply: FormReply | null = null): ActionData => ({ intent, ok: true, message, reply });
  const refused = (status: number, more: Partial<ActionData>) => data<ActionData>({ intent, ok: false, message: null, reply: null, ...more }, { status });
  const lastManager = () => refused(409, { message: translate(locale, "members.lastManager") });
  const nameOf = async (userId: string) => (await listMembers(db, tenantId)).find((p) => p.userId === userId)?.name ?? "";

  if (intent === "invite") {
    const submission = parseWithZod(formData, { schema: InviteSchema });
    if (submission.status !== "success") return refused(400, { reply: submission.reply() });
    const { email, role } = submission.value;
    try {
      await inviteMember(db, { tenantId, email, role, actor });
    } catch (error) {
      if (error instanceof AlreadyMemberError) return refused(409, { reply: submission.reply({ fieldErrors: { email: [withParams("members.invite.alreadyMember", { email })] } }) });
      throw error;
    }
    // The link goes only by e-mail: whoever holds it can choose the account's password.
    return done(translate(locale, "members.invite.sent", { email }), submission.reply({ resetForm: true }));
  }

  if (intent === "change-role" || intent === "revoke-member") {
    const userId = z.uuid().safeParse(formData.get("userId"));
    if (!userId.success) throw notFound();
    const name = await nameOf(userId.data);
    if (intent === "change-role") {
      const role = z.enum(ROLES).safeParse(formData.get("role"));
      if (!role.success) return refused(400, { message: translate(locale, "members.roleInvalid") });
      let outcome;
      try {
        outcome = await changeMemberRole(db, { tenantId, userId: userId.data, role: role.data, actor });
      } catch (error) {
        if (error instanceof LastManagerError) return lastManager();
        throw error;
      }
      if (!outcome) throw notFound();
      // Managers only: a manager who gave up the role has no business on this page any more.
      if (outcome === "changed" && userId.data === member.userId) throw redirect("/company");
      const params = { name, role: translate(locale, `role.${role.data}`) };
      return done(translate(locale, outcome === "changed" ? "members.roleChanged" : "members.roleUnchanged", params));
    }
    let revoked;
    try {
      revoked = await revokeMembership(db, { tenantId, userId: userId.data, actor });
    } catch (error) {
      if (error instanceof LastManagerError) return lastManager();
      throw error;
    }
    if (!revoked) throw notFound();
    if (userId.data === member.userId) throw redirect("/");
    return done(translate(locale, "members.revoked", { name }));
  }

  if (intent === "resend-invitation" || intent === "revoke-invitation") {
    const invitationId = z.uuid().safeParse(formData.get("invitationId"));
    if (!invitationId.success) throw notFound();
    if (intent === "revoke-invitation") {
      const revoked = await revokeInvitation(db, { tenantId, invitationId: invitationId.data, actor });
      if (!revoked) throw notFound();
      return done(translate(locale, "members.invitations.revoked", { email: revoked.email }));
    }
    let resent;
    try {
      resent = await resendInvitation(db, { tenantId, invitationId: invitationId.data, actor });
    } catch (error) {
      if (error instanceof AlreadyMemberError) return refused(409, { message: translate(locale, "members.invitations.alreadyMember", { email: error.email }) });
      throw error;
    }
    if (!resent) throw notFound();
    return done(translate(locale, "members.invitations.resent", { email: resent.email }));
  }

  throw new Response("Bad Request", { status: 400, statusText: "Bad Request" });
}

export default function MembersPage() {
  const { companyName, me, people, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const t = useT();
  const locale = useLocale();
  // After every answer the role selects show the stored roles again (a refused change too).
  const [round, setRound] = useState(0);
  useEffect(() => setRound((r) => r + 1), [actionData]);
  type Person = (typeof people)[number];
  type Invitation = (typeof invitations)[number];
  const when = (date: string | Date | null) => (date ? formatDateTime(new Date(date), locale) : t("members.lastLogin.never"));

  const peopleColumns: Column<Person>[] = [
    {
      key: "name",
      header: t("members.list.name"),
      rowHeader: true,
      cell: (p) => (
        <>
          {p.name}
          {p.userId === me && <span className="ml-1 font-normal text-gray-700">{t("members.list.you")}</span>}
          {/* On a phone the address goes under the name rather than in a column of its own. */}
          <span className="block font-normal text-gray-700 md:hidden">{p.email}</span>
        </>
      ),
    },
    { key: "email", header: t("members.list.email"), className: "hidden md:table-cell", cell: (p) => p.email },
    {
      key: "role",
      header: t("members.list.role"),
      cell: (p) => <RoleChangeForm userId={p.userId} name={p.name} role={p.role} selectKey={`${p.role}:${round}`} className="w-36" disabled={busy} />,
    },
    {
      key: "status",
      header: t("members.list.status"),
      cell: (p) => t(p.disabledAt ? "members.status.disabled" : p.lastLoginAt ? "members.status.active" : "members.status.invitedOnly"),
    },
    { key: "lastLogin", header: t("members.list.lastLogin"), className: "whitespace-nowrap", cell: (p) => when(p.lastLoginAt) },
    {
      key: "actions",
      header: <span className="sr-only">{t("members.list.actions")}</span>,
      className: "text-right",
      cell: (p) => <RevokeMemberForm userId={p.userId} name={p.name} disabled={busy} />,
    },
  ];

  const invitationColumns: Column<Invitation>[] = [
    { key: "email", header: t("members.invitations.email"), rowHeader: true, className: "whitespace-nowrap", cell: (i) => i.email },
    { key: "role", header: t("members.invitations.role"), cell: (i) => t(`role.${i.role}`) },
    { key: "sent", header: t("members.invitations.sent"), className: "whitespace-nowrap", cell: (i) => formatDateTime(new Date(i.createdAt), locale) },
    {
      key: "expires",
      header: t("members.invitations.expires"),
      className: "whitespace-nowrap",
      cell: (i) => (i.expired ? t("members.invitations.expired", { date: formatDateTime(new Date(i.expiresAt), locale) }) : formatDateTime(new Date(i.expiresAt), locale)),
    },
    {
      key: "actions",
      header: <span className="sr-only">{t("members.invitations.actions")}</span>,
      className: "text-right",
      cell: (i) => (
        <Form method="post" className="flex flex-wrap justify-end gap-2">
          <input type="hidden" name="invitationId" value={i.id} />
          <Button name="intent" value="resend-invitation" tone="secondary" small disabled={busy} aria-label={t("members.invitations.resendLabel", { email: i.email })}>
            {t("members.invitations.resend")}
          </Button>
          <Button name="intent" value="revoke-invitation" tone="danger" small disabled={busy} aria-label={t("members.invitations.revokeLabel", { email: i.email })}>
            {t("members.invitations.revoke")}
          </Button>
        </Form>
      ),
    },
  ];

  const banner = actionData?.message ? actionData : null;
  return (
    <div className="space-y-8">
      <SettingsTabs />
      <CompanyPageHeader title={t("members.title")} companyName={companyName} intro={t("members.intro")} />

      {banner && <Notice tone={banner.ok ? "success" : "error"}>{banner.message}</Notice>}

      <Section id="invite" title={t("members.invite.title")}>
        <InviteForm
          lastResult={replyFor(actionData, "invite")}
          busy={busy && navigation.formData?.get("intent") === "invite"}
          defaultRole="viewer"
          labels={{ email: t("members.invite.email"), role: t("members.invite.role"), submit: t("members.invite.submit") }}
          help={t("members.invite.help")}
          emailClassName="w-full sm:w-96"
        />
      </Section>

      <Section id="people" title={t("members.list.title")} plain>
        <DataTable caption={t("members.list.title")} captionHidden columns={peopleColumns} rows={people} rowKey={(p) => p.userId} empty={t("members.list.none")} />
      </Section>

      <Section id="invitations" title={t("members.invitations.title")} plain>
        <DataTable caption={t("members.invitations.title")} captionHidden columns={invitationColumns} rows={invitations} rowKey={(i) => i.id} empty={t("members.invitations.none")} />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
