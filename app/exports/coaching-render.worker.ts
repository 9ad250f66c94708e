// The coaching pack's render module, run in the render thread (renderPackInWorker in
// ./coaching-render.server.ts hands it a pack): renders the file and gives its bytes to move.

import { withMovedBytes, type RenderModule } from "./render-worker.server";
import { renderPack, type WorkerInput, type WorkerResult } from "./coaching-render.server";

export const render: RenderModule<WorkerInput, WorkerResult>["render"] = async ({ pack, format }) => {
  const rendered = await renderPack(pack, format);
  return withMovedBytes(rendered.bytes, { contentType: rendered.contentType, extension: rendered.extension });
};
