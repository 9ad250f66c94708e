import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "./button";
import { Section } from "./section";

/** The part of a page that deletes what the page shows: what deleting means, then one danger button posting intent "delete". */
export function DeleteSection({ title, description, label, busy, disabled }: { title: ReactNode; description: ReactNode; label: ReactNode; busy?: boolean; disabled?: boolean }) {
  return (
    <Section id="delete" title={title} description={description}>
      <Form method="post">
        <Button tone="danger" name="intent" value="delete" busy={busy} disabled={disabled}>
          {label}
        </Button>
      </Form>
    </Section>
  );
}
