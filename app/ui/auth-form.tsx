import type { FormMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { Button } from "./button";
import { ErrorSummary, SchemaForm } from "./form";
import { PageHeader } from "./page-header";
import { Card } from "./section";

// The pages of signing in (login, forgotten password, new password, invitation): a narrow
// column with the page's header, its form in a card with one full-width button, and at most
// one link to another of these pages below.

export function AuthPage({ title, intro, link, children }: { title: ReactNode; intro: ReactNode; link?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-md space-y-4">
      <PageHeader title={title} intro={intro} />
      {children}
      {link && <p>{link}</p>}
    </div>
  );
}

/** The form's error summary, then the card with its fields and the button; `after` comes below the button (Enter submits with the first). */
export function AuthForm<S extends Record<string, unknown>>({
  form,
  labels,
  submitLabel,
  busy,
  after,
  children,
}: {
  form: FormMetadata<S, string[]>;
  labels: Partial<Record<keyof S & string, string>>;
  submitLabel: ReactNode;
  busy: boolean;
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <ErrorSummary form={form} labels={labels} />
      <Card>
        <SchemaForm form={form} method="post" className="space-y-5">
          {children}
          <Button busy={busy} className="w-full">
            {submitLabel}
          </Button>
          {after}
        </SchemaForm>
      </Card>
    </>
  );
}
