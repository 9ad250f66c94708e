import * as z from "zod";
import { ROLES, type TenantRole } from "~/domain/types";
import { useT } from "~/i18n/i18n";
import { Form } from "@remix-run/react";
import { Button } from "./button";
import { emailAddress } from "./email-schema";
import { Select } from "./field";
import { ErrorSummary, SchemaForm, SelectField, TextField, useSchemaForm, type FormReply } from "./form";
import { RowActionForm } from "./row-action";

// The forms of a company's team (invite by e-mail with a role, change a person's role): on the
// company's own members page and on staff's company page (the same model and intents,
// ~/models/accounts/members.server).

export const InviteSchema = z.object({
  email: emailAddress({ required: "staff.invite.emailRequired", invalid: "staff.invite.emailInvalid" }),
  role: z.enum(ROLES, { error: "members.roleInvalid" }),
});

/** A role's options, in the order of ROLES. */
export function RoleOptions() {
  const t = useT();
  return (
    <>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}`)}
        </option>
      ))}
    </>
  );
}

export function InviteForm({
  lastResult,
  busy,
  defaultRole,
  labels,
  help,
  emailClassName,
}: {
  lastResult: FormReply | null;
  busy: boolean;
  defaultRole: TenantRole;
  labels: { email: string; role: string; submit: string };
  help?: string;
  /** The e-mail field's width. */
  emailClassName: string;
}) {
  const [form, fields] = useSchemaForm(InviteSchema, { id: "invite", lastResult, defaultValue: { role: defaultRole } });
  return (
    <>
      <ErrorSummary form={form} labels={{ email: labels.email, role: labels.role }} className="mb-4" />
      <SchemaForm form={form} method="post" className="flex flex-wrap items-start gap-4">
        <TextField meta={fields.email} type="email" autoComplete="off" label={labels.email} help={help} className={emailClassName} />
        <SelectField meta={fields.role} label={labels.role} className="w-full sm:w-48">
          <RoleOptions />
        </SelectField>
        <Button name="intent" value="invite" busy={busy} className="sm:mt-6">
          {labels.submit}
        </Button>
      </SchemaForm>
    </>
  );
}

/** A person's role in a row of the team's table: the roles to choose from and the button that changes it. */
export function RoleChangeForm({
  userId,
  name,
  role,
  selectKey,
  className,
  disabled,
}: {
  userId: string;
  name: string;
  role: TenantRole;
  /** A new key draws the select with the stored role again. */
  selectKey: string;
  /** The select's width. */
  className: string;
  disabled?: boolean;
}) {
  const t = useT();
  return (
    <Form method="post" className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <div className={className}>
        <Select id={`role-${userId}`} name="role" defaultValue={role} key={selectKey} aria-label={t("members.roleLabel", { name })}>
          <RoleOptions />
        </Select>
      </div>
      <Button name="intent" value="change-role" tone="secondary" small disabled={disabled} aria-label={t("members.changeRoleLabel", { name })}>
        {t("members.changeRole")}
      </Button>
    </Form>
  );
}

/** The button in a row of the team's table that removes the person's access to the company. */
export function RevokeMemberForm({ userId, name, disabled }: { userId: string; name: string; disabled?: boolean }) {
  const t = useT();
  return (
    <RowActionForm idName="userId" id={userId} intent="revoke-member" disabled={disabled} label={t("members.revokeLabel", { name })}>
      {t("members.revoke")}
    </RowActionForm>
  );
}
