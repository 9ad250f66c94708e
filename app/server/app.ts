import { existsSync, readdirSync } from "node:fs";
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
  app.use(publicFiles());
  app.use(requireSameOrigin);
  // clientAddress: req.ip, which follows X-Forwarded-For only as far as `trust proxy` allows.
  const getLoadContext = (req: express.Request, res: express.Response) => ({ cspNonce: String(res.locals.cspNonce), clientAddress: addressKey(req.ip ?? req.socket.remoteAddress) });
  app.all("*", createRemixHandler({ build, getLoadContext }));
  app.use(answerUnhandledError);
  return app;
}

/**
 * The other files of public/ (the favicon), served only for the names that are there when the
 * server starts: a static handler in front of every route would ask the file system about each
 * page's path (a stat per request) only to find nothing.
 */
function publicFiles(): express.RequestHandler {
  const folder = path.join(projectRoot, "public");
  const names = new Set(existsSync(folder) ? readdirSync(folder).filter((name) => name !== "build") : []);
  const serve = express.static(folder, { maxAge: "1h" });
  return (req, res, next) => (names.has(req.path.split("/")[1] ?? "") ? serve(req, res, next) : next());
}

/** The Remix build; a distinct `instance` loads a copy with its own module state, as another process would have (tests). */
export async function loadBuild(instance?: string): Promise<ServerBuild> {
  const file = path.join(projectRoot, "build", "index.js");
  return (await import(instance === undefined ? file : `${pathToFileURL(file).href}?instance=${encodeURIComponent(instance)}`)) as ServerBuild;
}
