import compression from "compression";
import type { Request, Response } from "express";

/**
 * Brotli (quality 4) or gzip, as the browser accepts, for every text answer over 1 KB: pages,
 * single-fetch data, JSON, CSS, JavaScript, SVG, CSV. Left alone: what `compressible` knows to be
 * compressed already (zip, xlsx, pdf, images, fonts), `Cache-Control: no-transform`, and event
 * streams, whose events must leave one by one. Streamed pages still stream: the Remix adapter
 * calls `res.flush()` after every chunk, which flushes the compressor too.
 */
export const compressResponses = compression({
  filter(req: Request, res: Response) {
    if (/^text\/event-stream/i.test(String(res.getHeader("Content-Type") ?? ""))) return false;
    return compression.filter(req, res);
  },
});
