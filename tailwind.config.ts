import type { Config } from "tailwindcss";
import forms from "@tailwindcss/forms";
import colors from "tailwindcss/colors";

// The colours the charts are given (`colors` of BarChart/LineChart in app/ui/band-chart.tsx,
// company.trends.tsx, company.variance.tsx): add one here when a chart takes a new colour.
// Every palette colour in all shades was 150 KB of CSS on every page.
export const chartColours = ["blue", "amber", "slate"] as const;
const palette = chartColours.join("|");

// Tremor 3 reads these tokens; content "subtle" is darkened from Tremor's
// default gray-400 so axis labels meet WCAG AA contrast on white.
export default {
  // Of Tremor, only what the charts (app/ui/charts.tsx) load: the chart elements and what they use.
  content: ["./app/**/*.{ts,tsx}", "./node_modules/@tremor/react/dist/{components/chart-elements,components/text-elements/Legend,lib,assets}/**/*.js"],
  theme: {
    transparent: "transparent",
    current: "currentColor",
    extend: {
      colors: {
        tremor: {
          brand: {
            faint: colors.blue[50],
            muted: colors.blue[200],
            subtle: colors.blue[400],
            DEFAULT: colors.blue[700],
            emphasis: colors.blue[800],
            inverted: colors.white,
          },
          background: {
            muted: colors.gray[50],
            subtle: colors.gray[100],
            DEFAULT: colors.white,
            emphasis: colors.gray[700],
          },
          border: { DEFAULT: colors.gray[200] },
          ring: { DEFAULT: colors.gray[200] },
          content: {
            subtle: colors.gray[600],
            DEFAULT: colors.gray[600],
            emphasis: colors.gray[700],
            strong: colors.gray[900],
            inverted: colors.white,
          },
        },
      },
      boxShadow: {
        "tremor-input": "0 1px 2px 0 rgb(0 0 0 / 0.05)",
        "tremor-card": "0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)",
        "tremor-dropdown": "0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)",
      },
      borderRadius: {
        "tremor-small": "0.375rem",
        "tremor-default": "0.5rem",
        "tremor-full": "9999px",
      },
      fontSize: {
        "tremor-label": ["0.75rem", { lineHeight: "1rem" }],
        "tremor-default": ["0.875rem", { lineHeight: "1.25rem" }],
        "tremor-title": ["1.125rem", { lineHeight: "1.75rem" }],
        "tremor-metric": ["1.875rem", { lineHeight: "2.25rem" }],
      },
    },
  },
  // Chart colours are built from props at run time, so Tailwind cannot see them.
  safelist: ["bg", "text", "border", "ring", "stroke", "fill"].map((utility) => ({
    pattern: new RegExp(`^${utility}-(?:${palette})-(?:50|100|200|300|400|500|600|700|800|900|950)$`),
    ...(["bg", "text", "border"].includes(utility) ? { variants: ["hover", "ui-selected"] } : {}),
  })),
  // Every form control is drawn (border, focus ring) from the base styles of @tailwindcss/forms.
  plugins: [forms],
} satisfies Config;
