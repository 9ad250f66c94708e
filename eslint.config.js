import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", ".data/**", ".cache/**", "db/migrations/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // Text written by outsiders (comments, transcripts) must never run as markup.
      "no-restricted-syntax": [
        "error",
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: "Never render markup from data: React escapes text, keep it that way." },
        // `z` is zod's whole namespace as one value: esbuild (the classic compiler) cannot shake it and
        // ships every zod locale, 450 KB of script, to each page that imports it. `import * as z` bundles what is used (85 KB).
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier[imported.name='z'][importKind!='type'], ImportDefaultSpecifier)",
          message: 'Write `import * as z from "zod"`: the `z` export pulls all of zod and its locales into the browser bundle.',
        },
      ],
    },
  },
  {
    // The classic compiler silently empties .server modules in the browser bundle.
    files: ["app/ui/**/*.{ts,tsx}", "app/domain/**/*.ts", "app/i18n/i18n.ts", "app/i18n/messages.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["*.server", "**/*.server", "#db/*"], message: "UI and domain code must not import server-only modules." }] },
      ],
    },
  },
  {
    // Route modules are thin: guard, parse, call models, render. Queries live in app/models.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^(#db/schema|drizzle-orm)(/.*)?$", message: "No queries in route modules: call a function of app/models instead." },
          ],
        },
      ],
    },
  },
);
