// HTTP-level refusals that happen before a body is read, each answered with a GraphQL error a client can branch on
// (Yoga itself would answer an unsupported media type with an empty 415).
import type { Plugin } from "graphql-yoga";

/**
 * JSON, as every GraphQL client sends, and a bare GraphQL document. Yoga would also parse forms and multipart
 * uploads; this API takes no files, and those parsers answer malformed input with code-less errors.
 */
const POST_MEDIA_TYPES = ["application/json", "application/graphql+json", "application/graphql"];

function refusal(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * A body over `maxBytes` gets 413 without being read. A chunked body has no length to check up front, so it is
 * refused (411) rather than read without a bound; GraphQL clients send a Content-Length.
 */
export function httpGuardsPlugin(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== "POST") return;
      const length = request.headers.get("content-length");
      const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
      if (length !== null && Number(length) > maxBytes) {
        endResponse(refusal(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes} bytes`));
      } else if (length === null && request.headers.get("transfer-encoding")?.includes("chunked")) {
        endResponse(refusal(411, "LENGTH_REQUIRED", "Send the request body with a Content-Length header"));
      } else if (!POST_MEDIA_TYPES.includes(mediaType)) {
        endResponse(
          refusal(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            `POST a GraphQL request as application/json, not "${mediaType.slice(0, 100)}"`,
          ),
        );
      }
    },
  };
}
