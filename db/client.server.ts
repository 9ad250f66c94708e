import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { defaultDataDir, migrationsFolder } from "./paths";
import * as schema from "./schema";
import { TENANT_ROLE_NAME } from "./schema/tenancy";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A query runner: the owner connection or a transaction on it. */
export type Executor = Db | Tx;

/**
 * The handle every tenant data function takes first: a transaction already
 * switched to the runtime role with app.tenant_id set, and that tenant's id for
 * the application-level filter (RLS is the second wall, not the only one).
 */
export interface TenantScope {
  readonly tx: Tx;
  readonly tenantId: string;
}

export interface Database {
  readonly kind: "pglite" | "postgres";
  /** Owner connection: migrations, auth and the audited staff path. */
  readonly db: Db;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const drizzleOptions = { schema, casing: "snake_case" } as const;

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const client = postgres(url, {
    max: options.max ?? 10, // a 2-core server gains nothing from more concurrent queries
    idle_timeout: 30, // give idle connections back so PostgreSQL restarts are survived
    connect_timeout: 10, // fail a request clearly rather than hang when the server is down
    max_lifetime: 60 * 30, // recycle connections so a failover or restart is picked up
    onnotice: () => {}, // migrations print NOTICEs for "already exists"; not useful in logs
  });
  const db = drizzlePostgres({ client, ...drizzleOptions }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    migrate: () => migrateLocked(url, () => migratePostgres(db as never, { migrationsFolder })),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Runs the migrations while holding a session advisory lock on a connection of its own, so
 * two processes starting at once (a rolling deploy, `db:migrate` beside a starting server)
 * apply them one after the other: the second waits, then finds nothing left to do. Its own
 * connection, because the lock must outlive the migrator's transaction and a pool of one
 * (the test template) has no second connection to spare.
 */
async function migrateLocked(url: string, run: () => Promise<void>): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await run();
  } finally {
    // Ending the connection releases the lock even when the unlock itself fails.
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    await lock.end({ timeout: 5 });
  }
}

/** The advisory lock key migrations hold (any constant; documented in docs/operations.md). */
export const MIGRATION_LOCK_KEY = 7_245_001;

export async function openPglite(pg: PGlite, release: () => void = () => {}): Promise<Database> {
  await pg.waitReady;
  const db = drizzlePglite({ client: pg, ...drizzleOptions }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: async () => {
      await pg.close();
      release();
    },
  };
}

/** One process owns a PGlite data folder at a time; a second one is refused clearly. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (probably \`npm start\`). ` +
        `Stop it first, or run against a PostgreSQL server with DATABASE_URL.`,
    );
  }
}

function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  try {
    const pid = Number(readFileSync(lockFile, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirInUseError(dataDir, pid);
  } catch (error) {
    if (error instanceof DataDirInUseError) throw error;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function openEmbedded(dataDir = process.env.PGLITE_DATA_DIR ?? defaultDataDir): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    return await openPglite(new PGlite(dataDir), release);
  } catch (error) {
    release();
    throw error;
  }
}

/** DATABASE_URL when set, otherwise the embedded PGlite in .data/. */
export function openFromEnv(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  return url ? openPostgres(url) : openEmbedded();
}

// Shared through globalThis: the server entry (tsx) and the Remix bundle each
// have their own copy of this module but must use one database.
const holder = globalThis as unknown as { __innsiktDatabase?: Promise<Database> };

export function setDatabase(database: Database | Promise<Database>): void {
  holder.__innsiktDatabase = Promise.resolve(database);
}

export function getDatabase(): Promise<Database> {
  holder.__innsiktDatabase ??= openFromEnv();
  return holder.__innsiktDatabase;
}

/**
 * Runs `fn` in one transaction as the runtime role with the tenant set; both
 * settings are transaction-local, so a pooled connection is never left scoped.
 */
export async function withTenant<T>(db: Db, tenantId: string, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    await tx.execute(sql.raw(`set local role ${TENANT_ROLE_NAME}`));
    return fn({ tx, tenantId });
  });
}

/** The rows of a raw `execute`: postgres.js returns an array, PGlite an object holding `rows`. */
export function resultRows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** An ILIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Whether `error` (as drizzle wraps it, or bare) is PostgreSQL's unique violation, of `constraint` when named. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return isViolation(error, "23505", constraint);
}

/** Whether `error` is a check violation (also one a trigger raises naming `constraint`). */
export function isCheckViolation(error: unknown, constraint?: string): boolean {
  return isViolation(error, "23514", constraint);
}

function isViolation(error: unknown, sqlState: string, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { code, constraint_name, constraint: pgliteConstraint } = e as { code?: string; constraint_name?: string; constraint?: string };
    if (code === sqlState) return constraint === undefined || constraint_name === constraint || pgliteConstraint === constraint;
  }
  return false;
}
