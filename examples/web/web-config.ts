// The Vite configuration of the web example, as a function so the browser test can point the proxy at its own API.
// The page calls /graphql on its own origin; the dev server proxies it to the API, and in development adds the
// API's development key there, server-side: the key never reaches the browser, and is never in the bundle.
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import react from "@vitejs/plugin-react";
import type { UserConfig } from "vite";

export interface WebConfigOptions {
  /** Where the API listens, e.g. http://127.0.0.1:4000 (its /graphql is proxied). */
  apiUrl: string;
  /** The bearer token the proxy adds to the page's requests that carry none: a fixed one, or read per request. */
  token: () => string | undefined;
  /** Vite's dependency cache (default: node_modules/.vite). */
  cacheDir?: string;
}

/** The development key `npm start` writes (src/auth/development-key.ts), read on every request: it may appear later. */
export function developmentKeyFile(file: string): () => string | undefined {
  return () => {
    try {
      return readFileSync(file, "utf8").trim() || undefined;
    } catch {
      return undefined;
    }
  };
}

// Only the page itself gets the key added: a request from another origin (another localhost port is another
// origin, and the same site) would otherwise borrow it. Browsers send Sec-Fetch-Site with every fetch.
const fromThePage = (request: IncomingMessage) => request.headers["sec-fetch-site"] === "same-origin";

export function webConfig({ apiUrl, token, cacheDir }: WebConfigOptions): UserConfig {
  return {
    root: import.meta.dirname,
    cacheDir,
    plugins: [react()],
    // Found up front, so the first page load never triggers a re-optimisation and a reload.
    optimizeDeps: {
      include: [
        "react",
        "react-dom/client",
        "@apollo/client",
        "@apollo/client/react",
        "graphql",
        "graphql-sse",
        "rxjs",
      ],
    },
    build: { outDir: join(import.meta.dirname, "dist"), emptyOutDir: true },
    server: {
      // No CORS headers: no other origin may read what the proxy (with the key) answers.
      cors: false,
      proxy: {
        "/graphql": {
          target: apiUrl,
          configure: (proxy) => {
            proxy.on("proxyReq", (proxyRequest, request) => {
              const key = token();
              if (key && !request.headers.authorization && fromThePage(request)) {
                proxyRequest.setHeader("authorization", `Bearer ${key}`);
              }
            });
          },
        },
      },
    },
  };
}
