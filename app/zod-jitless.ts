// Zod compiles object validators with `new Function` unless told not to. The CSP (script-src
// without 'unsafe-eval') refuses that, and even zod's probe for it (a caught `new Function("")`)
// is reported as a CSP violation, which browsers log and Lighthouse counts against best practices.
// In the browser, zod runs without the compiler: the schemas are small and validate as fast.
//
// root.tsx imports this first, so it runs before any route module defines a schema (zod decides
// at definition time). It writes zod's shared settings object (`globalThis.__zod_globalConfig`,
// which zod's `config()` also writes) rather than importing zod: an import here would put zod's
// core (77 KB) on every page, those without a form too. The server keeps the compiler.

declare global {
  var __zod_globalConfig: { jitless?: boolean } | undefined;
}

if (typeof document !== "undefined") (globalThis.__zod_globalConfig ??= {}).jitless = true;

export {};
