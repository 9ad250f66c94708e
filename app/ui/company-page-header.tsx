import type { ReactNode } from "react";
import { PageHeader } from "~/ui/page-header";

/**
 * The header of a company's own pages (settings, coaching): the title, then under it the
 * company's name and a line on what the page is for.
 */
export function CompanyPageHeader({ title, companyName, intro, actions }: { title: ReactNode; companyName: ReactNode; intro: ReactNode; actions?: ReactNode }) {
  return (
    <PageHeader
      title={title}
      intro={
        <>
          <span className="block text-sm font-medium">{companyName}</span>
          <span className="mt-1 block max-w-3xl">{intro}</span>
        </>
      }
      actions={actions}
    />
  );
}
