// The rules of a query (spec/season.md) that both the server and the browser's form check.
import { can } from "./permissions";
import type { TenantRole } from "./types";

/** The longest reason a query may give, in characters. */
export const REASON_MAX = 2000;
/** Who may raise a query: managers and team leads, not viewers (the `queries:raise` right). */
export const canRaiseQuery = (role: TenantRole) => can(role, "queries:raise");
