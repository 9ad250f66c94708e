// A real OpenID provider (oidc-provider, the certified implementation) for the SSO tests, run
// as a child process so its clock can be moved apart from the app's (./clock-preload.ts: an
// expired ID token is one the provider issued in its past). Configured by OIDC_TEST_CONFIG
// (JSON: port, clients); it prints "ready" when it listens.
//
// The login screen of a real provider is replaced by an interaction that signs in at once as
// the `login_hint` the app sent (or as the account a test names with POST /__test/login-as,
// e.g. someone of another company's domain) and grants the requested scopes. POST
// /__test/id-token-for {clientId} makes the next token response carry an ID token the
// provider issues for that other client instead (a token meant for someone else).
import { createServer } from "node:http";
import Provider, { type Configuration } from "oidc-provider";

interface TestConfig {
  port: number;
  clients: { client_id: string; client_secret: string; redirect_uris: string[] }[];
}

const config = JSON.parse(process.env.OIDC_TEST_CONFIG ?? "{}") as TestConfig;
const issuer = `http://127.0.0.1:${config.port}`;
let loginAs: string | null = null;
let idTokenFor: string | null = null;

const configuration: Configuration = {
  clients: config.clients.map((c) => ({ ...c, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" })),
  pkce: { required: () => true },
  // The ID token carries the e-mail claims itself, as Entra ID and Google send them.
  conformIdTokenClaims: false,
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: false } },
  // Accounts are whoever the test signs in as: the subject is the address.
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: sub, email_verified: true, name: sub.split("@")[0] }) }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["innsikt-oidc-test-cookie-key"] },
  ttl: { Interaction: 600, Session: 600, Grant: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
};

const provider = new Provider(issuer, configuration);

// Swaps the ID token of a token response for one the same provider issues to another client.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== "/token" || !idTokenFor || ctx.status !== 200) return;
  const body = ctx.body as { id_token?: string };
  if (!body.id_token) return;
  const payload = JSON.parse(Buffer.from(body.id_token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
  const other = await provider.Client.find(idTokenFor);
  idTokenFor = null;
  const token = new provider.IdToken({ sub: payload.sub, email: payload.email, email_verified: true }, { client: other!, ctx });
  token.scope = "openid email";
  token.set("nonce", payload.nonce);
  body.id_token = await token.issue({ use: "idtoken" });
});

const callback = provider.callback();

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", issuer);
    // The provider's own clock (moved by the clock preload), so a test knows the move took.
    if (url.pathname === "/__test/now") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end(String(Date.now()));
      return;
    }
    if (req.method === "POST" && url.pathname.startsWith("/__test/")) {
      let raw = "";
      for await (const chunk of req) raw += String(chunk);
      const body = JSON.parse(raw || "{}") as { email?: string | null; clientId?: string | null };
      if (url.pathname === "/__test/login-as") loginAs = body.email ?? null;
      if (url.pathname === "/__test/id-token-for") idTokenFor = body.clientId ?? null;
      res.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith("/interaction/")) {
      const details = await provider.interactionDetails(req, res);
      const accountId = loginAs ?? String(details.params.login_hint ?? "");
      if (!accountId) {
        res.writeHead(400).end("no login_hint");
        return;
      }
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
      return;
    }
    callback(req, res);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});

server.listen(config.port, "127.0.0.1", () => process.stdout.write("ready\n"));
