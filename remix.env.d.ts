/// <reference types="@remix-run/dev" />

import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-response CSP nonce, made by the express server. */
    cspNonce: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
