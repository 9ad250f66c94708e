import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime, formatScore } from "~/domain/format";
import { ROLES } from "~/domain/types";
import { translate, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { getDefaultBookingCap, setCompanyBookingCap } from "~/models/coaching/coaching-offer.server";
import { changeMemberRole, findCompanyByCode, getCompany, revokeMembership } from "~/models/admin/company-admin.server";
import { deleteCompany } from "~/models/admin/company-data.server";
import { createInvitation, listInvitations, revokeInvitation } from "~/models/accounts/invitation.server";
import { deliverOutbox } from "~/mail/outbox.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

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
    invitations: invitations.map((i) => ({
      ...i,
      state: i.acceptedAt ? "used" : i.revokedAt ? "revoked" : new Date(i.expiresAt).getTime() <= now ? "expired" : "open",
    })),
  };
}

const InviteSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, { error: "staff.invite.emailRequired" }).max(320).pipe(z.email({ error: "staff.invite.emailInvalid" })),
  role: z.enum(ROLES, { error: "staff.invite.roleInvalid" }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const company = await findCompanyByCode(db, String(params.code));
  if (!company) throw notFound();
  const form = Object.fromEntries(await request.formData());
  const intent = form.intent;
  if (intent === "invite") {
    const parsed = InviteSchema.safeParse(form);
    if (!parsed.success) {
      return data({ intent, ok: false as const, message: translate(locale, parsed.error.issues[0]!.message as MessageKey), link: null, values: form }, { status: 400 });
    }
    const { link } = await createInvitation(db, { tenantId: company.id, email: parsed.data.email, role: parsed.data.role, invitedBy: user.id });
    const delivered = await deliverOutbox(db);
    const failed = delivered.some((d) => !d.ok);
    return {
      intent,
      ok: true as const,
      message: translate(locale, failed ? "staff.invite.queued" : "staff.invite.sent", { email: parsed.data.email }),
      link,
      values: {},
    };
  }
  if (intent === "change-role") {
    const userId = z.uuid().safeParse(form.userId);
    const role = z.enum(ROLES).safeParse(form.role);
    if (!userId.success) throw notFound();
    if (!role.success) return data({ intent, ok: false as const, message: translate(locale, "staff.invite.roleInvalid"), link: null, values: form }, { status: 400 });
    const outcome = await changeMemberRole(db, { tenantId: company.id, userId: userId.data, role: role.data, actorUserId: user.id });
    if (!outcome) throw notFound();
    const message = translate(locale, outcome === "changed" ? "staff.people.roleChanged" : "staff.people.roleUnchanged", { role: translate(locale, `role.${role.data}`) });
    return { intent, ok: true as const, message, link: null, values: {} };
  }
  if (intent === "revoke-member") {
    const userId = z.uuid().safeParse(form.userId);
    if (!userId.success || !(await revokeMembership(db, { tenantId: company.id, userId: userId.data, actorUserId: user.id }))) throw notFound();
    return { intent, ok: true as const, message: translate(locale, "staff.people.revoked"), link: null, values: {} };
  }
  if (intent === "revoke-invitation") {
    const id = z.uuid().safeParse(form.invitationId);
    if (!id.success || !(await revokeInvitation(db, { tenantId: company.id, invitationId: id.data, actorUserId: user.id }))) throw notFound();
    return { intent, ok: true as const, message: translate(locale, "staff.invitations.revoked"), link: null, values: {} };
  }
  if (intent === "booking-cap") {
    // Empty: the default of /staff/coaching again. The database checks 0–1000 as well.
    const raw = String(form.cap ?? "").trim();
    const cap = z.coerce.number().int().min(0).max(1000).safeParse(raw);
    if (raw !== "" && !cap.success) {
      return data({ intent, ok: false as const, message: translate(locale, "coaching.cap.error"), link: null, values: form }, { status: 400 });
    }
    await setCompanyBookingCap(db, { tenantId: company.id, cap: raw === "" ? null : cap.data!, actorUserId: user.id });
    return { intent, ok: true as const, message: translate(locale, "coaching.cap.saved"), link: null, values: {} };
  }
  if (intent === "delete") {
    if (String(form.confirm ?? "").trim() !== company.code) {
      return data({ intent, ok: false as const, message: translate(locale, "staff.company.delete.confirmMismatch", { code: company.code }), link: null, values: form }, { status: 400 });
    }
    const deleted = await deleteCompany(db, company.id, user.id);
    if (!deleted) throw notFound();
    throw redirect(`/staff/companies?deleted=${encodeURIComponent(deleted.name)}`);
  }
  throw notFound();
}

export default function CompanyPage() {
  const { company, participations, people, invitations, defaultBookingCap } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/staff/companies" className="text-blue-700 underline">
            {t("staff.companies.title")}
          </Link>
        </p>
        <h1 className="mt-1 text-3xl font-semibold">{company.name}</h1>
        <p className="mt-1 text-gray-700">
          {t("staff.companies.code")}: <span className="font-mono">{company.code}</span>
          {company.orgNumber && (
            <>
              {" · "}
              {t("staff.companies.orgNumber")}: {company.orgNumber}
            </>
          )}
        </p>
      </div>

      {actionData && actionData.intent !== "invite" && actionData.intent !== "delete" && (
        <p
          role={actionData.ok ? "status" : "alert"}
          className={`rounded border p-4 ${actionData.ok ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-800"}`}>
          {actionData.message}
        </p>
      )}

      <section aria-labelledby="participations-title">
        <h2 id="participations-title" className="text-xl font-semibold">
          {t("staff.company.participations")}
        </h2>
        {participations.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("staff.company.noParticipations")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left">
              <caption className="sr-only">{t("staff.company.participations")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-4 py-2">{t("staff.studies.year")}</th>
                  <th scope="col" className="px-4 py-2">{t("staff.studies.status")}</th>
                  <th scope="col" className="px-4 py-2">{t("staff.company.class")}</th>
                  <th scope="col" className="px-4 py-2">{t("staff.company.shownAs")}</th>
                  <th scope="col" className="px-4 py-2 text-right">{t("staff.studies.inquiries")}</th>
                  <th scope="col" className="px-4 py-2 text-right">{t("staff.company.totalScore")}</th>
                </tr>
              </thead>
              <tbody>
                {participations.map((p) => (
                  <tr key={p.year} className="border-b border-gray-100">
                    <th scope="row" className="px-4 py-2 font-medium">
                      <Link to={`/staff/studies/${p.year}`} className="text-blue-700 underline">
                        {p.year}
                      </Link>
                    </th>
                    <td className="px-4 py-2">{t(`status.${p.status}`)}</td>
                    <td className="px-4 py-2">{p.className}</td>
                    <td className="px-4 py-2">{p.displayName}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{p.inquiries}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{p.totalScore === null ? "–" : formatScore(p.totalScore, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="cap-title">
        <h2 id="cap-title" className="text-xl font-semibold">
          {t("coaching.cap.title")}
        </h2>
        <Form method="post" className="mt-3 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow">
          <div>
            <label htmlFor="company-cap" className="block text-sm font-medium">
              {t("coaching.cap.company")}
            </label>
            <input
              id="company-cap"
              name="cap"
              type="number"
              min={0}
              max={1000}
              defaultValue={company.openBookingsCap ?? ""}
              aria-describedby="company-cap-help"
              className="mt-1 w-32 rounded border-gray-400"
            />
            <p id="company-cap-help" className="mt-1 text-sm text-gray-700">
              {t("coaching.cap.companyHelp", { cap: defaultBookingCap })}
            </p>
          </div>
          <button type="submit" name="intent" value="booking-cap" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
            {t("coaching.cap.save")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="people-title">
        <h2 id="people-title" className="text-xl font-semibold">
          {t("staff.people.title")}
        </h2>
        {people.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("staff.people.none")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left">
              <caption className="sr-only">{t("staff.people.title")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-4 py-2">{t("staff.people.name")}</th>
                  <th scope="col" className="px-4 py-2">{t("staff.people.email")}</th>
                  <th scope="col" className="px-4 py-2">{t("staff.people.role")}</th>
                  <th scope="col" className="px-4 py-2">
                    <span className="sr-only">{t("staff.people.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.userId} className="border-b border-gray-100">
                    <th scope="row" className="px-4 py-2 font-medium">{p.name}</th>
                    <td className="px-4 py-2">{p.email}</td>
                    <td className="px-4 py-2">
                      <Form method="post" className="flex flex-wrap items-center gap-2">
                        <input type="hidden" name="userId" value={p.userId} />
                        <label htmlFor={`role-${p.userId}`} className="sr-only">
                          {t("staff.people.roleLabel", { name: p.name })}
                        </label>
                        <select id={`role-${p.userId}`} name="role" defaultValue={p.role} key={p.role} className="rounded border-gray-400 py-1 text-sm">
                          {ROLES.map((role) => (
                            <option key={role} value={role}>
                              {t(`role.${role}`)}
                            </option>
                          ))}
                        </select>
                        <button
                          type="submit"
                          name="intent"
                          value="change-role"
                          aria-label={t("staff.people.changeRoleLabel", { name: p.name })}
                          className="rounded border border-gray-500 px-3 py-1 text-sm hover:bg-gray-50">
                          {t("staff.people.changeRole")}
                        </button>
                      </Form>
                    </td>
                    <td className="px-4 py-2 text-right">
                      <Form method="post">
                        <input type="hidden" name="userId" value={p.userId} />
                        <button
                          type="submit"
                          name="intent"
                          value="revoke-member"
                          aria-label={t("staff.people.revokeLabel", { name: p.name })}
                          className="rounded border border-red-700 px-3 py-1 text-sm text-red-800 hover:bg-red-50">
                          {t("staff.people.revoke")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="invite-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="invite-title" className="text-xl font-semibold">
          {t("staff.invite.title")}
        </h2>
        <Form method="post" className="mt-4 flex flex-wrap items-end gap-4" noValidate>
          <div>
            <label htmlFor="invite-email" className="block text-sm font-medium">
              {t("staff.people.email")}
            </label>
            <input
              id="invite-email"
              name="email"
              type="email"
              autoComplete="off"
              required
              defaultValue={actionData?.intent === "invite" && !actionData.ok ? String(actionData.values.email ?? "") : ""}
              aria-invalid={(actionData?.intent === "invite" && !actionData.ok) || undefined}
              aria-describedby={actionData?.intent === "invite" ? "invite-result" : undefined}
              className="mt-1 w-72 rounded border-gray-400"
            />
          </div>
          <div>
            <label htmlFor="invite-role" className="block text-sm font-medium">
              {t("staff.people.role")}
            </label>
            <select id="invite-role" name="role" defaultValue="manager" className="mt-1 rounded border-gray-400">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="invite" disabled={busy} className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
            {t("staff.invite.submit")}
          </button>
        </Form>
        {actionData?.intent === "invite" && (
          <div id="invite-result" role={actionData.ok ? "status" : "alert"} className={`mt-4 ${actionData.ok ? "text-green-900" : "text-red-700"}`}>
            <p>{actionData.message}</p>
            {actionData.link && (
              <p className="mt-2 text-sm text-gray-800">
                {t("staff.invite.link")}{" "}
                <a href={actionData.link} className="break-all font-mono text-blue-700 underline" data-testid="invitation-link">
                  {actionData.link}
                </a>
              </p>
            )}
          </div>
        )}
      </section>

      <section aria-labelledby="invitations-title">
        <h2 id="invitations-title" className="text-xl font-semibold">
          {t("staff.invitations.title")}
        </h2>
        {invitations.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("staff.invitations.none")}</p>
        ) : (
          <ul className="mt-3 space-y-2">
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-3">
                <span>
                  {i.email} – {t(`role.${i.role}`)} – {t(`staff.invitations.state.${i.state as "open"}`)} ({formatDateTime(new Date(i.createdAt), locale)})
                </span>
                {i.state === "open" && (
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" name="intent" value="revoke-invitation" className="rounded border border-gray-400 px-2 py-1 text-sm hover:bg-gray-50">
                      {t("staff.invitations.revoke")}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="privacy-title" className="rounded-lg border border-gray-300 bg-white p-6">
        <h2 id="privacy-title" className="text-xl font-semibold">{t("staff.company.privacy")}</h2>
        <p className="mt-1 max-w-3xl text-sm text-gray-700">{t("staff.company.export.help")}</p>
        <Form method="post" action={`/staff/companies/${encodeURIComponent(company.code)}/export`} reloadDocument className="mt-3">
          <button type="submit" className="rounded border border-blue-700 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50">
            {t("staff.company.export.submit")}
          </button>
        </Form>
        <Form method="post" className="mt-6 border-t border-gray-200 pt-4">
          <h3 className="font-semibold text-red-900">{t("staff.company.delete.title")}</h3>
          <p id="delete-help" className="mt-1 max-w-3xl text-sm text-gray-700">{t("staff.company.delete.help", { code: company.code })}</p>
          {actionData?.intent === "delete" && !actionData.ok && (
            <p id="delete-error" role="alert" className="mt-2 font-medium text-red-800">{actionData.message}</p>
          )}
          <label htmlFor="delete-confirm" className="mt-3 block text-sm font-medium">{t("staff.company.delete.confirm")}</label>
          <input
            id="delete-confirm"
            name="confirm"
            autoComplete="off"
            aria-describedby={actionData?.intent === "delete" && !actionData.ok ? "delete-help delete-error" : "delete-help"}
            className="mt-1 w-72 rounded border-gray-500 font-mono"
          />
          <button type="submit" name="intent" value="delete" disabled={busy} className="ml-3 rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60">
            {t("staff.company.delete.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
