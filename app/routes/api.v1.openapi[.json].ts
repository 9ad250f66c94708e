// GET /api/v1/openapi.json: the OpenAPI 3.1 description, generated from app/api/api-schemas.ts.
import { apiMethodNotAllowed, parseQuery, publicApiLoader } from "~/auth/api-token.server";
import { buildOpenApiDocument, NoQuerySchema } from "~/api/api-schemas";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const loader = publicApiLoader(({ request }) => {
  parseQuery(request, NoQuerySchema);
  document ??= buildOpenApiDocument();
  return document;
});

export const action = apiMethodNotAllowed;
