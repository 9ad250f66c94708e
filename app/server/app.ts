import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { projectRoot } from "#db/paths";
import { env } from "~/env.server";
import { refuseDeclaredTooLarge } from "./body-limit";
import { addressKey } from "./client-address";
import { compressResponses } from "./compression";
import { answerUnhandledError, refuseMalformedRequest } from "./malformed-request";
import { createRemixHandler, serverMode } from "./remix-handler";
import { requestContext } from "./request-context";
import { requireSameOrigin, securityHeaders } from "./security";

/** The HTTP stack in front of the Remix build; tests run this same function. */
export function createApp(build: ServerBuild) {
  const app = express();
  app.disable("x-powered-by");
  app.set("env", serverMode());
  const { trustProxy } = env();
  if (trustProxy !== undefined) app.set("trust proxy", trustProxy);
  app.use(securityHeaders);
  app.use(refuseMalformedRequest);
  app.use(refuseDeclaredTooLarge);
  app.use((_req, _res, next) => requestContext.run(new Map(), next));
  app.use(compressResponses);
  // Fingerprinted by the build (a new name for new content): browsers keep them a year without asking again.
  app.use("/build", express.static(path.join(projectRoot, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(projectRoot, "public"), { maxAge: "1h" }));
  app.use(requireSameOrigin);
  // clientAddress: req.ip, which follows X-Forwarded-For only as far as `trust proxy` allows.
  const getLoadContext = (req: express.Request, res: express.Response) => ({ cspNonce: String(res.locals.cspNonce), clientAddress: addressKey(req.ip ?? req.socket.remoteAddress) });
  app.all("*", createRemixHandler({ build, getLoadContext }));
  app.use(answerUnhandledError);
  return app;
}

/** The Remix build; a distinct `instance` loads a copy with its own module state, as another process would have (tests). */
export async function loadBuild(instance?: string): Promise<ServerBuild> {
  const file = path.join(projectRoot, "build", "index.js");
  return (await import(instance === undefined ? file : `${pathToFileURL(file).href}?instance=${encodeURIComponent(instance)}`)) as ServerBuild;
}
