import { Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FollowUpTabs } from "~/ui/section-tabs";

// The follow-up pages (issue 18): targets and response-time goals here; action plans and the
// coaching log carry the same tabs (~/ui/section-tabs). No loader: every tab guards itself.

export default function FollowUpFrame() {
  return (
    <div className="space-y-6">
      <FollowUpTabs />
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
