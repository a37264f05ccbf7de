// CORS as an allow-list (CORS_ORIGINS). Yoga's default answers every origin with that origin and
// `access-control-allow-credentials: true`, so any web page a developer opens could read this API's answers.
// Requests from an unlisted origin get no CORS headers at all, so the browser withholds the response from the page.

/** What Yoga's `cors` option takes from a function of the request: the headers to send, or none (false). */
export type CorsDecision = { origin: string[]; credentials: false } | false;

/**
 * Listed origins get `access-control-allow-origin: <origin>` and never credentials: clients authenticate with an
 * Authorization header, which a page sends itself, and the API sets no cookies.
 */
export function corsPolicy(origins: readonly string[]): (request: Request) => CorsDecision {
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get("origin");
    return origin !== null && allowed.has(origin) ? { origin: [origin], credentials: false } : false;
  };
}
