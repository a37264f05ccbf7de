// GraphiQL at GET /graphql: the page a first-time user opens, with a document that tells the whole batch-delete
// story as named operations to run in order, and the page's assets served from this process (no CDN), because
// the server must work on machines without internet access. The page can carry the development key, so it is
// served only to requests from its own origin.
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gunzipSync, gzip } from "node:zlib";
import { Kind, OperationTypeNode, parse, print } from "graphql";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";
import { ErrorCode, userError } from "../errors.ts";
import { CSRF_HEADER } from "../plugins/use-csrf-prevention.ts";

/**
 * The default editor content (src/http/graphiql-document.graphql, read once at start-up). Literals instead of
 * variables, so every operation runs with one click; the ids assume a fresh database, where CreateThings creates
 * ids 1 to 4. test/graphiql-document.test.ts validates it against the schema, so a schema change that breaks it
 * fails the tests.
 */
export const graphiqlDocument = readFileSync(new URL("./graphiql-document.graphql", import.meta.url), "utf8");

const graphiqlOperations = parse(graphiqlDocument).definitions.filter(
  (definition) => definition.kind === Kind.OPERATION_DEFINITION,
);

/** The welcome document's operation names: the project's own, as the metrics label them. */
export const GRAPHIQL_OPERATION_NAMES: readonly string[] = graphiqlOperations.flatMap((operation) =>
  operation.name ? [operation.name.value] : [],
);

/** The welcome document's subscription alone, for the page that watches while another browser tab deletes. */
const watchDocument = graphiqlOperations.find((operation) => operation.operation === OperationTypeNode.SUBSCRIPTION);
if (watchDocument === undefined) throw new Error("graphiql-document.graphql has no subscription to watch");

/**
 * Where `/graphql?watch` sends the browser: GraphiQL's own `?query=` address, with the subscription alone, which
 * GraphiQL opens as a tab of its own where ▶ runs it. Watching takes a second browser tab, and the welcome document
 * sends the user here: a GraphiQL tab (+) opens empty, switching GraphiQL tabs stops a running subscription, and a
 * second browser tab on the plain address opens on a new, empty tab in front of the stored ones.
 */
const watchQuery = `?query=${encodeURIComponent(print(watchDocument))}`;

const graphiqlOptions = {
  title: "Things batch-delete API",
  defaultQuery: graphiqlDocument,
  // GraphiQL runs a subscription as a GET asking for text/event-stream, which CSRF prevention refuses without
  // this header. GraphiQL adds these to every request it makes, subscriptions included; kept out of the headers
  // editor, so that headers a user types or pastes there cannot drop it.
  additionalHeaders: { [CSRF_HEADER]: "graphiql" },
} satisfies GraphiQLOptions;

// Yoga's built-in page loads GraphiQL's JS, CSS and editor workers from unpkg.com and its favicon from GitHub.
// @graphql-yoga/render-graphiql renders the same page with all of them inlined (about 9 MB, a data: favicon), so
// GraphiQL works offline. That module alone holds ~78 MiB once loaded, so it is imported at the first page request,
// never with GRAPHIQL=false. The options are the same for every request, so the page is rendered once per distinct
// options object, and only its compressed forms are kept: ~2.4 MB gzip, less as brotli, instead of 9 MB a visit.
interface CompressedPage {
  gzip: Buffer;
  brotli: Buffer;
}

const pages = new Map<string, Promise<CompressedPage>>();

async function compressedPage(options: GraphiQLOptions): Promise<CompressedPage> {
  const { renderGraphiQL } = await import("@graphql-yoga/render-graphiql");
  const page = Buffer.from(renderGraphiQL(options));
  const [gzipped, brotli] = await Promise.all([
    promisify(gzip)(page, { level: 6 }),
    // Quality 5 of 11: most of brotli's gain for a fraction of its time at the top levels (seconds for 9 MB).
    promisify(brotliCompress)(page, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: page.length },
    }),
  ]);
  return { gzip: gzipped, brotli };
}

function offlineGraphiQL(options: GraphiQLOptions): Promise<CompressedPage> {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (page === undefined) {
    page = compressedPage(options);
    // A failed render is tried again at the next request rather than kept.
    page.catch(() => pages.delete(key));
    pages.set(key, page);
  }
  return page;
}

/** The page's bytes in the best encoding the client accepts; browsers all take br or gzip, so identity is rare. */
function encodedFor(request: Request, page: CompressedPage): { body: Buffer; encoding?: "br" | "gzip" } {
  const accepted = (request.headers.get("accept-encoding") ?? "").toLowerCase();
  if (/\bbr\b/.test(accepted)) return { body: page.brotli, encoding: "br" };
  if (/\bgzip\b/.test(accepted)) return { body: page.gzip, encoding: "gzip" };
  return { body: gunzipSync(page.gzip) };
}

/**
 * Whether a browser sent this request on behalf of a page of another origin. Browsers set Sec-Fetch-Site on every
 * request (`none` when the user typed the address) and Origin on cross-origin fetches; a request with neither
 * comes from a non-browser client, which no web page controls. `same-site` counts as foreign: another port of
 * localhost is the same site.
 */
export function isCrossOrigin(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  return !URL.canParse(origin) || new URL(origin).host !== new URL(request.url).host;
}

const crossOriginRefusal = JSON.stringify({
  errors: [
    userError(
      ErrorCode.CROSS_ORIGIN,
      "GraphiQL is served only to its own origin: open this address in the browser's address bar",
    ).toJSON(),
  ],
});

/**
 * Serves GraphiQL (instead of Yoga's `graphiql` option, whose page goes to any origin that asks) with `headers`
 * pre-filled, e.g. the development key's Authorization, and redirects `?watch` to it with the subscription alone.
 * A cross-origin request gets 403 CROSS_ORIGIN whatever CORS_ORIGINS says: CORS decides which pages may read API
 * answers, never the key.
 */
export function graphiqlPlugin(headers: Record<string, string> | undefined): Plugin {
  const options: GraphiQLOptions = { ...graphiqlOptions, headers: headers && JSON.stringify(headers) };
  let endpoint = "/graphql";
  return {
    onYogaInit({ yoga }) {
      endpoint = yoga.graphqlEndpoint;
    },
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
      if (!wantsPage || (url.pathname !== endpoint && url.pathname !== `${endpoint}/`)) return;
      if (isCrossOrigin(request)) {
        endResponse(
          new fetchAPI.Response(crossOriginRefusal, { status: 403, headers: { "content-type": "application/json" } }),
        );
        return;
      }
      if (url.searchParams.has("watch")) {
        endResponse(new fetchAPI.Response(null, { status: 303, headers: { location: `${endpoint}${watchQuery}` } }));
        return;
      }
      const { body, encoding } = encodedFor(request, await offlineGraphiQL(options));
      const pageHeaders: Record<string, string> = {
        "content-type": "text/html; charset=utf-8",
        // The page may hold a key: no shared cache keeps a copy.
        "cache-control": "no-store",
        vary: "accept-encoding",
        ...(encoding && { "content-encoding": encoding }),
      };
      // zlib's and gunzip's Buffers are backed by a plain ArrayBuffer, never a SharedArrayBuffer, as BodyInit asks.
      endResponse(new fetchAPI.Response(body as Uint8Array<ArrayBuffer>, { headers: pageHeaders }));
    },
  };
}
