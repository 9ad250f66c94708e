import type { TenantRole } from "./types";

/** What each tenant role may do; checked on the server and used to shape the UI. */
export const PERMISSIONS = {
  "results:read": ["manager", "teamlead", "viewer"],
  "coaching:export": ["manager", "teamlead"],
  "coaching:book": ["manager", "teamlead"],
  "members:manage": ["manager"],
  "tokens:manage": ["manager"],
  "privacy:manage": ["manager"],
  "queries:raise": ["manager", "teamlead"],
  "targets:manage": ["manager"],
  // The coaching log (issue 18): team leads record sessions; only managers delete them.
  "coachinglog:write": ["manager", "teamlead"],
  "coachinglog:delete": ["manager"],
  "plans:write": ["manager", "teamlead"],
  "plans:delete": ["manager"],
} as const satisfies Record<string, readonly TenantRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: TenantRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly TenantRole[]).includes(role);
}
