import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Per-request memo shared by every loader of one HTTP request. Remix hands each loader its
 * own Request object, so a cache keyed on the Request would run the session lookup once per
 * loader; this store lives exactly as long as the express request. Shared through globalThis
 * because the server entry and the Remix bundle each have a copy of this module.
 */
const holder = globalThis as unknown as { __innsiktRequestContext?: AsyncLocalStorage<Map<string, unknown>> };
export const requestContext = (holder.__innsiktRequestContext ??= new AsyncLocalStorage<Map<string, unknown>>());

/** The value under `key` for this HTTP request, computed once; outside a request, not cached. */
export function perRequest<T>(key: string, compute: () => T): T {
  const store = requestContext.getStore();
  if (!store) return compute();
  if (!store.has(key)) store.set(key, compute());
  return store.get(key) as T;
}
