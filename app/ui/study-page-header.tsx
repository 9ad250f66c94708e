import type { ReactNode } from "react";
import { PageHeader } from "~/ui/page-header";
import { PreliminaryTag, ReviewBanner, type ShownStudy } from "~/ui/review-banner";

/**
 * The top of a company page of one study's figures: whose figures (the eyebrow), the title
 * with the "preliminary" tag, and the review banner under it while the study is in review.
 */
export function StudyPageHeader({
  eyebrow,
  title,
  study,
  intro,
  actions,
}: {
  eyebrow: ReactNode;
  title: string;
  study: ShownStudy | null | undefined;
  intro?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <>
      <PageHeader
        eyebrow={eyebrow}
        title={
          <>
            {title}
            <PreliminaryTag study={study} />
          </>
        }
        intro={intro}
        actions={actions}
      />
      <ReviewBanner study={study} />
    </>
  );
}
