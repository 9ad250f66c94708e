// Where Inter's font files are (@fontsource/inter): the PDFs register them with @react-pdf
// (./pdf-fonts.server.ts) and the award badge draws its text from them as outlines
// (./awards/badge.server.ts), so both use the same font without either loading the other.

import { createRequire } from "node:module";
import path from "node:path";

/** The folder of @fontsource/inter's font files. */
export const INTER_FILES = path.join(path.dirname(createRequire(import.meta.url).resolve("@fontsource/inter/package.json")), "files");

/**
 * One of Inter's woff files: "latin" has æøå, – … « » −; "latin-ext" has Ł, č, ś, … and
 * serves as the fallback for names.
 */
export function interFile(subset: "latin" | "latin-ext", weight: 400 | 700): string {
  return path.join(INTER_FILES, `inter-${subset}-${weight}-normal.woff`);
}
