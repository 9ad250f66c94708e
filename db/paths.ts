import { fileURLToPath } from "node:url";
import path from "node:path";

// db/ (run by tsx) and build/ (the Remix server bundle) both sit one level below
// the project root, so this resolves the same from either.
export const projectRoot = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
export const migrationsFolder = path.join(projectRoot, "db", "migrations");
export const defaultDataDir = path.join(projectRoot, ".data", "pglite");
