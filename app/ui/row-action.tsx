import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button, type ButtonTone } from "~/ui/button";

/**
 * A button in a table row that posts one intent about that row (revoke a token, delete an
 * entry): a form of its own with the row's id. `label` names the row for screen readers.
 */
export function RowActionForm({
  idName,
  id,
  intent,
  label,
  tone = "danger",
  disabled,
  children,
}: {
  idName: string;
  id: string;
  intent: string;
  label: string;
  tone?: ButtonTone;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name={idName} value={id} />
      <Button tone={tone} small name="intent" value={intent} disabled={disabled} aria-label={label}>
        {children}
      </Button>
    </Form>
  );
}
