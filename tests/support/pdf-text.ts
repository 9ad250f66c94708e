// The text of a PDF, page by page, for tests that check what a rendered document says
// (pdfjs-dist's legacy build, which runs on Node 20). A new line where pdfjs reports
// one or where the baseline moves, so words on different lines never run together.

import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";

// pdfjs needs its own metrics for the 14 standard fonts a PDF may use without embedding.
const STANDARD_FONTS = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; text: string }> {
  // pdfjs takes over the array it is given, so it gets a copy.
  const document = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = "";
      let baseline: number | null = null;
      for (const item of content.items) {
        if (!("str" in item)) continue;
        const { str, hasEOL, transform } = item as TextItem;
        const y = transform[5] as number;
        if (baseline !== null && Math.abs(y - baseline) > 1 && !text.endsWith("\n")) text += "\n";
        text += str;
        if (hasEOL) text += "\n";
        baseline = y;
      }
      pages.push(text);
      page.cleanup();
    }
    return { pages, text: pages.join("\n") };
  } finally {
    await document.destroy();
  }
}
