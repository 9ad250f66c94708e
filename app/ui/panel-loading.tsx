import type { ReactNode } from "react";
import { TextLink } from "./button";
import { Section } from "./section";

/**
 * A study-page panel whose data a fetcher loads after the page: until it comes, its heading,
 * a status line and a link to the panel's own page (which works without JavaScript).
 */
export function PanelLoading({ id, title, loading, href, open }: { id: string; title: ReactNode; loading: ReactNode; href: string; open: ReactNode }) {
  return (
    <Section id={id} title={title}>
      <p className="text-gray-700" role="status">
        {loading} <TextLink to={href}>{open}</TextLink>
      </p>
    </Section>
  );
}
