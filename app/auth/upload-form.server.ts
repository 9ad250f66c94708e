import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { MAX_FILE_BYTES } from "~/models/studies/import-file.server";

// The staff pages that take a file (results, contact lists) read it the same way: in memory,
// up to the import limit, so a too-large file is refused before anything is stored.

/** Whether a POST carries a file (a multipart form) rather than a plain form. */
export function isUpload(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
}

/** The upload's form, or why it cannot be read: "tooLarge" (413) past MAX_FILE_BYTES, else "unreadable" (400). */
export async function readUploadForm(request: Request): Promise<{ form: FormData } | { error: "tooLarge"; status: 413 } | { error: "unreadable"; status: 400 }> {
  try {
    return { form: await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES })) };
  } catch (error) {
    return error instanceof MaxPartSizeExceededError ? { error: "tooLarge", status: 413 } : { error: "unreadable", status: 400 };
  }
}
