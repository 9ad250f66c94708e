// The rules of a query (spec/season.md) that both the server and the browser's form check.
import { can } from "./permissions";
import type { TenantRole } from "./types";

/** A query's states: raised (open), then answered one of three ways. */
export const QUERY_STATES = ["open", "accepted", "partly_accepted", "rejected"] as const;
export type QueryState = (typeof QUERY_STATES)[number];

/** The longest reason a query may give (and staff's note of an answer), in characters. */
export const REASON_MAX = 2000;
/** Who may raise a query: managers and team leads, not viewers (the `queries:raise` right). */
export const canRaiseQuery = (role: TenantRole) => can(role, "queries:raise");
