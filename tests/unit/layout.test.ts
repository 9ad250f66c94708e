// The layout by feature (docs/architecture.md): queries live in app/models/<feature>/, rendering
// in app/exports, app/mail and app/api, and route modules neither import the schema nor build
// a query (a lint rule keeps it so).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import type { Executor } from "#db/client.server";
import { recordTenantAction } from "~/models/admin/audit.server";

const root = fileURLToPath(new URL("../../", import.meta.url));
const FEATURES = ["accounts", "admin", "coaching", "insights", "plans", "reports", "studies"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The module specifiers a source file imports (static, type-only and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1]!);
}

describe("layout by feature", () => {
  it("no route module imports the database schema or the query builder", () => {
    const offenders = filesUnder(path.join(root, "app/routes")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^(#db\/schema|drizzle-orm)(\/|$)/.test(spec))
        .map((spec) => `${path.relative(root, file)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("app/models holds only feature folders", () => {
    const entries = readdirSync(path.join(root, "app/models"));
    expect(entries.filter((name) => !statSync(path.join(root, "app/models", name)).isDirectory())).toEqual([]);
    expect(entries.sort()).toEqual(FEATURES);
  });

  it("rendering sits outside the query layer", () => {
    const rel = (dir: string) => readdirSync(path.join(root, dir)).sort();
    expect(rel("app/exports")).toEqual(expect.arrayContaining(["coaching-pdf.server.tsx", "coaching-render.server.ts", "coaching-render.worker.ts"]));
    expect(rel("app/mail")).toContain("outbox.server.ts");
    expect(rel("app/api")).toContain("api-schemas.ts");
  });

  it("the lint rule refuses a schema import or a drizzle import in a route module", async () => {
    const eslint = new ESLint({ cwd: root });
    const code = 'import * as s from "#db/schema";\nimport { eq } from "drizzle-orm";\nexport const x = [s, eq];\n';
    const [result] = await eslint.lintText(code, { filePath: path.join(root, "app/routes/probe.tsx") });
    const restricted = result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.line);
    expect(restricted).toEqual([1, 2]);
  }, 60_000);

  it("the company audit log is written by recordTenantAction alone", () => {
    const writers = filesUnder(path.join(root, "app"))
      .filter((file) => /insert\(\s*s\.tenantAuditEvents\s*\)/.test(readFileSync(file, "utf8")))
      .map((file) => path.relative(root, file));
    expect(writers).toEqual(["app/models/admin/audit.server.ts"]);
  });
});

// Checked by tsc (never run): an action outside the vocabulary, or details of the wrong shape, do not compile.
export async function _typedTenantActions(tx: Executor) {
  // @ts-expect-error an unknown action
  await recordTenantAction(tx, "t", null, { action: "sneaky", details: {} });
  // @ts-expect-error details of another action
  await recordTenantAction(tx, "t", null, { action: "api_token.create", details: { bookingId: "b" } });
  await recordTenantAction(tx, "t", null, { action: "api_token.create", details: { name: "ci" } });
}
