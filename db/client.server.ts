import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
import { env } from "~/env.server";
import { serveOverSocket } from "./embedded-socket.server";
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
  /** How another driver reaches the same database (the job queue); absent for a test's in-memory PGlite. */
  readonly url?: string;
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
    url,
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

/** An embedded data folder whose owner does not share it (it predates sharing, or is still starting). */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (probably \`npm start\`), which does not share it. ` +
        `Wait until it has started, or run against a PostgreSQL server with DATABASE_URL.`,
    );
  }
}

const lockFileOf = (dataDir: string) => path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
/** The folder of the Unix socket over which the owner of `dataDir` shares it (libpq's layout: `.s.PGSQL.<port>`). */
export const socketDirOf = (dataDir: string) => path.join(path.dirname(dataDir), `${path.basename(dataDir)}.socket`);
const SOCKET_PORT = 5432;
const socketFileOf = (dataDir: string) => path.join(socketDirOf(dataDir), `.s.PGSQL.${SOCKET_PORT}`);

/** The pid of another live process that owns `dataDir`, or null. */
function liveOwner(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(lockFileOf(dataDir), "utf8"));
    return pid && pid !== process.pid && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = lockFileOf(dataDir);
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

/**
 * postgres.js over the owner's socket. PGlite is one PostgreSQL session shared by every
 * connection (the socket server runs their messages one transaction at a time), so no
 * named prepared statements: two connections would reuse each other's names.
 */
function socketClient(dataDir: string, max: number) {
  return postgres({ host: socketDirOf(dataDir), port: SOCKET_PORT, user: "postgres", database: "postgres", max, prepare: false, onnotice: () => {} });
}

/**
 * The embedded database (PGlite in `dataDir`). The first process to open the folder owns it:
 * it runs PGlite and shares it over a Unix socket that only this user can open (see
 * embedded-socket.server.ts: one connection's unit of work at a time), and
 * uses it through that socket itself, so its own statements never land inside another
 * process's transaction. Any later process (the CLI or a worker next to `npm start`) connects
 * through the same socket.
 */
export async function openEmbedded(dataDir = env().pgliteDataDir ?? defaultDataDir): Promise<Database> {
  const owner = liveOwner(dataDir);
  if (owner !== null) {
    if (!existsSync(socketFileOf(dataDir))) throw new DataDirInUseError(dataDir, owner);
    const client = socketClient(dataDir, 4);
    const db = drizzlePostgres({ client, ...drizzleOptions }) as unknown as Db;
    return {
      kind: "pglite",
      db,
      url: embeddedUrl(dataDir),
      // The owner migrated when it opened the folder; a newer checkout's migrations still apply.
      migrate: () => migratePostgres(db as never, { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const release = lockDataDir(dataDir);
  let pg: PGlite | undefined;
  let server: Awaited<ReturnType<typeof serveOverSocket>> | undefined;
  try {
    pg = new PGlite(dataDir);
    await pg.waitReady;
    mkdirSync(socketDirOf(dataDir), { recursive: true, mode: 0o700 });
    chmodSync(socketDirOf(dataDir), 0o700);
    rmSync(socketFileOf(dataDir), { force: true }); // left by an owner that was killed
    server = await serveOverSocket(pg, socketFileOf(dataDir));
    const client = socketClient(dataDir, 10);
    const db = drizzlePostgres({ client, ...drizzleOptions }) as unknown as Db;
    const [pgInstance, socketServer] = [pg, server];
    return {
      kind: "pglite",
      db,
      url: embeddedUrl(dataDir),
      migrate: () => migratePostgres(db as never, { migrationsFolder }),
      close: async () => {
        await client.end({ timeout: 5 });
        await socketServer.close();
        await pgInstance.close();
        rmSync(socketFileOf(dataDir), { force: true });
        release();
      },
    };
  } catch (error) {
    await server?.close().catch(() => {});
    await pg?.close().catch(() => {});
    release();
    throw error;
  }
}

/** A connection URL of the shared embedded database, for libraries with a driver of their own (the job queue). */
export const embeddedUrl = (dataDir: string) => `postgres://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDirOf(dataDir))}`;

/** DATABASE_URL when set, otherwise the embedded PGlite in .data/. */
export function openFromEnv(): Promise<Database> {
  const url = env().databaseUrl;
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
 * The two settings go out together (one write, one wait on PostgreSQL): they run in
 * order, and if either fails the transaction is aborted, so nothing runs unscoped.
 */
export async function withTenant<T>(db: Db, tenantId: string, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await Promise.all([tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`), tx.execute(sql.raw(`set local role ${TENANT_ROLE_NAME}`))]);
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
