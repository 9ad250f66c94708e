// Any other path under /api/v1: a JSON 404 rather than the HTML page.
import { ApiError, apiMethodNotAllowed, publicApiLoader } from "~/auth/api-token.server";

export const loader = publicApiLoader(() => {
  throw new ApiError("not_found", "No such API route. See /api/v1/openapi.json.");
});

export const action = apiMethodNotAllowed;
