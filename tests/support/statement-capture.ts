// Capturing the statements a request issues, at the driver, and replaying them directly
// (tests/bench/pages.ts: a page against its own SQL, issue 13 point 6).

import postgres from "postgres";

/** One statement as the driver received it. */
export interface Captured {
  sql: string;
  params: unknown[];
  /** the driver's options (postgres.js `prepare`), replayed as given */
  options: unknown;
  /** the transaction it ran in (numbered per capture), null outside one */
  tx: number | null;
  /** rows returned or affected; null when it failed */
  rows: number | null;
}

/** Rows of a postgres.js result: the command's count (rows read or affected), else the rows. */
export const rowCount = (result: unknown): number => {
  const { count } = result as { count?: number | null };
  return typeof count === "number" ? count : Array.isArray(result) ? result.length : 0;
};

/** The runs of consecutive statements of one transaction (or single statements outside one), in order. */
export function transactionsOf(statements: Captured[]): Captured[][] {
  const order: Captured[][] = [];
  const byTx = new Map<number, Captured[]>();
  for (const statement of statements) {
    if (statement.tx === null) {
      order.push([statement]);
      continue;
    }
    let group = byTx.get(statement.tx);
    if (!group) {
      group = [];
      byTx.set(statement.tx, group);
      order.push(group);
    }
    group.push(statement);
  }
  return order;
}

/**
 * postgres.js client `sql`, recording every `unsafe` call into `into` (drizzle sends every
 * statement through it) and following `begin`/`savepoint` into their transaction clients.
 */
export function recordPostgres(sql: postgres.Sql, into: Captured[], counter: { tx: number }, tx: number | null = null): postgres.Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "unsafe") {
        return (text: string, params?: unknown[], options?: unknown) => {
          const entry: Captured = { sql: text, params: params ?? [], options, tx, rows: null };
          into.push(entry);
          type Then = (this: unknown, resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown) => unknown;
          const pending = (value as (...a: unknown[]) => unknown).call(target, text, params, options) as { then: Then };
          const then = pending.then;
          // Observe the answer when drizzle awaits it (postgres.js runs a query on its first then).
          pending.then = function (this: unknown, resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown) {
            return then.call(this, (result: unknown) => {
              entry.rows = rowCount(result);
              return resolve ? resolve(result) : result;
            }, reject);
          };
          return pending;
        };
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (inner: postgres.Sql) => unknown;
          const id = prop === "begin" || tx === null ? ++counter.tx : tx;
          return (value as (...a: unknown[]) => unknown).call(target, ...args, (inner: postgres.Sql) => fn(recordPostgres(inner, into, counter, id)));
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/**
 * Runs `statements` directly on the plain connection `plain` (no drizzle, no model code): a
 * statement outside a transaction as it was sent, each transaction's statements in a
 * transaction of their own. Returns every statement's row count, in transactionsOf order.
 */
export async function replay(plain: postgres.Sql, statements: Captured[]): Promise<number[]> {
  const send = (sql: postgres.Sql | postgres.TransactionSql, s: Captured) => sql.unsafe(s.sql, s.params as never[], s.options as postgres.UnsafeQueryOptions);
  const counts: number[] = [];
  for (const group of transactionsOf(statements)) {
    if (group[0]!.tx === null) counts.push(rowCount(await send(plain, group[0]!)));
    else
      await plain.begin(async (tx) => {
        for (const s of group) counts.push(rowCount(await send(tx, s)));
      });
  }
  return counts;
}

/** A request's statements as comparable text: one entry per transaction (or lone statement), each statement with its row count. */
export const signature = (statements: Captured[]) =>
  transactionsOf(statements).map((group) => `${group[0]!.tx === null ? "" : "[tx] "}${group.map((s) => `${normalise(s.sql)} → ${s.rows ?? "error"}`).join(" ; ")}`);

/** What only `a` has and what only `b` has, counting repeats. */
export function multisetDiff(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else onlyB.push(x);
  }
  const onlyA = [...count].flatMap(([x, n]) => Array.from({ length: n }, () => x));
  return { onlyA, onlyB };
}

export const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

