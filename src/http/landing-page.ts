// A landing page at GET / with links to GraphiQL, the probes and the docs, so a first visit (or a curl) finds them
// instead of an empty 404. Static apart from which routes are on; it holds no key, so any origin may load it.
import type { Plugin } from "graphql-yoga";

export interface LandingLink {
  path: string;
  /** What the route is for, in a few words. */
  purpose: string;
}

const DOCS = "README.md and docs/ in the repository (docs/api.md for the API, docs/operations.md for running it)";

export function landingPagePlugin(links: readonly LandingLink[]): Plugin {
  const items = links.map(({ path, purpose }) => `<li><a href="${path}">${path}</a>: ${purpose}</li>`).join("\n");
  const page =
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Things batch-delete API</title></head>\n` +
    `<body><h1>Things batch-delete API</h1>\n<ul>\n${items}\n</ul>\n<p>Documentation: ${DOCS}.</p></body></html>\n`;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== "/" || (request.method !== "GET" && request.method !== "HEAD")) return;
      const headers = { "content-type": "text/html; charset=utf-8" };
      endResponse(new fetchAPI.Response(request.method === "HEAD" ? null : page, { headers }));
    },
  };
}
