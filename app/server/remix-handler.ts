import type { IncomingHttpHeaders } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { env } from "~/env.server";
import { BodyCounter, DEFAULT_BODY_LIMIT, discardRest, refuseTooLarge } from "./body-limit";

/**
 * Development only when asked for by name: anything else (unset, "test", a typo) runs as
 * production, whose errors reach the browser without their message or stack.
 */
export const serverMode = () => env().mode;

/**
 * The Remix request handler for express: @remix-run/express's createRequestHandler (2.17) with the
 * request body counted on its way in. Once it passes the route's limit (res.locals.bodyLimit,
 * set by refuseDeclaredTooLarge) the route's read of it fails, the client gets 413 at once,
 * and whatever the route answers after that is dropped.
 */
export function createRemixHandler({ build, getLoadContext }: { build: ServerBuild; getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext }) {
  const handleRequest = createRequestHandler(build, serverMode());
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    let refused = false;
    try {
      const controller = new AbortController();
      const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: fetchHeaders(req.headers), signal: controller.signal };
      if (req.method !== "GET" && req.method !== "HEAD") {
        const limit = typeof res.locals.bodyLimit === "number" ? res.locals.bodyLimit : DEFAULT_BODY_LIMIT;
        const counter = new BodyCounter(limit, () => {
          refused = true;
          refuseTooLarge(req, res, limit);
          controller.abort();
        });
        req.pipe(counter);
        init.body = createReadableStreamFromReadable(counter);
        init.duplex = "half";
      }
      // A body the route never read (a guard redirected first) is not left hanging.
      discardRest(req, res);
      // As @remix-run/express: abort loaders and actions once no answer can be written.
      let done = false;
      res.on("finish", () => (done = true));
      res.on("close", () => done || controller.abort());
      const response = await handleRequest(new Request(requestUrl(req), init), getLoadContext(req, res));
      if (refused) {
        await response.body?.cancel();
        return;
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      if (refused) return;
      next(error);
    }
  };
}

/** The request's URL as @remix-run/express builds it (host and port as `trust proxy` allows). */
function requestUrl(req: ExpressRequest): string {
  const port = (value: string | undefined) => Number.parseInt(value?.split(":")[1] ?? "", 10);
  const forwarded = port(req.get("X-Forwarded-Host"));
  const direct = port(req.get("host"));
  const shown = Number.isSafeInteger(forwarded) ? forwarded : Number.isSafeInteger(direct) ? direct : "";
  return new URL(`${req.protocol}://${req.hostname}${shown ? `:${shown}` : ""}${req.originalUrl}`).href;
}

function fetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }
  return headers;
}

async function sendRemixResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
