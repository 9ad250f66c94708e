// The coaching pack's render module, run in the render thread (renderPackInWorker in
// ./coaching-render.server.ts hands it a pack): renders the file and gives its bytes to move.

import type { RenderModule } from "./render-worker.server";
import { renderPack, type WorkerInput, type WorkerResult } from "./coaching-render.server";

export const render: RenderModule<WorkerInput, WorkerResult>["render"] = async ({ pack, format }) => {
  const rendered = await renderPack(pack, format);
  // A Buffer may share its memory with Node's pool; a copy of its own can be moved.
  const bytes = new Uint8Array(rendered.bytes);
  return { result: { bytes, contentType: rendered.contentType, extension: rendered.extension }, transfer: [bytes.buffer] };
};
