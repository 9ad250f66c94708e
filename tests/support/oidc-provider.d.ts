// oidc-provider ships no type declarations; the few parts the SSO tests' provider uses.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export interface KoaContext {
    path: string;
    status: number;
    body: unknown;
  }
  export interface Configuration {
    clients: Record<string, unknown>[];
    pkce?: { required: () => boolean };
    conformIdTokenClaims?: boolean;
    claims?: Record<string, string[]>;
    features?: Record<string, unknown>;
    findAccount: (ctx: KoaContext, sub: string) => { accountId: string; claims: () => Record<string, unknown> };
    interactions?: { url: (ctx: KoaContext, interaction: { uid: string }) => string };
    cookies?: { keys: string[] };
    ttl?: Record<string, number>;
  }
  interface Client {
    clientId: string;
  }
  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface IdToken {
    scope: string;
    set(claim: string, value: unknown): void;
    issue(options: { use: "idtoken" }): Promise<string>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    Client: { find(id: string): Promise<Client | undefined> };
    Grant: new (init: { accountId: string; clientId: string }) => Grant;
    IdToken: new (claims: Record<string, unknown>, init: { client: Client; ctx: KoaContext }) => IdToken;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; params: Record<string, unknown> }>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  }
}
