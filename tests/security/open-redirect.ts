// Open-redirect check of the security scan: signs in through POST /login once for every
// known open-redirect form (tests/support/open-redirect-corpus.ts) as redirectTo and checks
// that the answer is a redirect whose Location, resolved as a browser does, is this site.
// Each session is ended again through POST /logout.
//
//   node --import tsx tests/security/open-redirect.ts --origin URL --email E --password P --out FILE
//
// FILE gets one line per form: verdict (on-site | OFF-SITE | error), name, status, Location
// (JSON-quoted), value (JSON-quoted). Exit 0 when every form stayed on the site, 1 when one
// did not (or got no redirect), 2 on a usage error.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openRedirectCorpus } from "../support/open-redirect-corpus";

const { values: args } = parseArgs({ options: { origin: { type: "string" }, email: { type: "string" }, password: { type: "string" }, out: { type: "string" } } });
if (!args.origin || !args.email || !args.password || !args.out) {
  console.error("usage: node --import tsx tests/security/open-redirect.ts --origin URL --email E --password P --out FILE");
  process.exit(2);
}
const origin = new URL(args.origin).origin;
const headers = { Origin: origin, "X-Scan-Target": "open-redirect" };

const lines: string[] = [];
let failed = 0;
const corpus = openRedirectCorpus(origin);
for (const { name, value } of corpus) {
  let verdict = "error";
  let status = 0;
  let location: string | null = null;
  try {
    const res = await fetch(`${origin}/login`, {
      method: "POST",
      headers,
      body: new URLSearchParams({ email: args.email, password: args.password, redirectTo: value }),
      redirect: "manual",
    });
    status = res.status;
    location = res.headers.get("location");
    await res.body?.cancel();
    if (status >= 300 && status < 400 && location !== null) verdict = new URL(location, origin).origin === origin ? "on-site" : "OFF-SITE";
    const session = /innsikt_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
    if (session) await (await fetch(`${origin}/logout`, { method: "POST", headers: { ...headers, Cookie: session }, redirect: "manual" })).body?.cancel();
  } catch (error) {
    location = `request failed: ${(error as Error).message}`;
  }
  if (verdict !== "on-site") failed++;
  lines.push([verdict, name, String(status), JSON.stringify(location), JSON.stringify(value)].join("\t"));
  console.log(`  ${verdict.padEnd(8)} ${String(status).padEnd(4)} ${name}${verdict === "on-site" ? "" : ` → ${JSON.stringify(location)}`}`);
}
writeFileSync(args.out, lines.join("\n") + "\n");
console.log(`open redirects: ${corpus.length} forms of redirectTo, ${corpus.length - failed} stayed on the site`);
process.exit(failed > 0 ? 1 : 0);
