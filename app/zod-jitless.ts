import { config } from "zod/v4/core";

// Zod compiles object validators with `new Function` unless told not to. The CSP (script-src
// without 'unsafe-eval') refuses that, and even zod's probe for it (a caught `new Function("")`)
// is reported as a CSP violation, which browsers log and Lighthouse counts against best practices.
// In the browser, zod runs without the compiler: the schemas are small and validate as fast.
// root.tsx imports this first, so it runs before any route module defines a schema (zod decides
// at definition time); the server keeps the compiler (no CSP applies there).
if (typeof document !== "undefined") config({ jitless: true });
