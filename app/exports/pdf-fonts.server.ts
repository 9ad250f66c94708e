// The fonts of every PDF we render with @react-pdf (the coaching pack, the award diploma, the
// results list): Inter from @fontsource/inter (./inter-font.server.ts), in its
// "latin" subset (with æøå, – … « » −) and "latin-ext" (Ł, č, ś, …) as a fallback for names.
// Registering here once keeps the documents alike; react-pdf picks, per character, the first
// font of the family list that has the glyph.

import { Font } from "@react-pdf/renderer";
import { interFile } from "./inter-font.server";

export const FONT = "InnsiktInter";
export const FONT_EXT = "InnsiktInterLatinExt";
/** Use as a style's fontFamily: Inter, falling back to its latin-ext subset. */
export const FONT_FAMILIES = [FONT, FONT_EXT];

for (const [family, subset] of [[FONT, "latin"], [FONT_EXT, "latin-ext"]] as const) {
  Font.register({
    family,
    fonts: ([400, 700] as const).map((fontWeight) => ({ src: interFile(subset, fontWeight), fontWeight })),
  });
}

// No hyphenation of whole words (react-pdf's rules are English ones, and would split
// Norwegian words); a word too long for a line (a URL, a run of characters) may break
// anywhere, so no text is cut off at the margin.
const LONGEST_UNBROKEN_WORD = 24;
Font.registerHyphenationCallback((word) => (word.length > LONGEST_UNBROKEN_WORD ? Array.from(word) : [word]));

let fontsReady: Promise<void> | null = null;

/**
 * Both Inter subsets are named "Inter-Regular" / "Inter-Bold" inside, and the PDF writer
 * (pdfkit) keys embedded fonts by that name: without a name of its own the fallback
 * subset is embedded again at every switch between the fonts, some kilobytes and
 * milliseconds each (an agent called Łukasz on 200 pages). Renaming the loaded fallback
 * keeps it to one embedding. Await before rendering.
 */
export function prepareFonts(): Promise<void> {
  fontsReady ??= Promise.all(
    [400, 700].map(async (fontWeight) => {
      const source = Font.getFont({ fontFamily: FONT_EXT, fontWeight });
      await source.load();
      if (source.data) Object.defineProperty(source.data, "postscriptName", { value: `${FONT_EXT}-${fontWeight}`, configurable: true });
    }),
  ).then(() => undefined);
  return fontsReady;
}

/** Inter has no U+202F (the narrow no-break space that groups Norwegian thousands): use U+00A0. */
export function printable(text: string): string {
  return text.replaceAll("\u202F", "\u00A0");
}
