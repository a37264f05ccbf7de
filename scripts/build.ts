// `npm run build`: bundles src/server.ts into dist/server.js, the one file production runs with plain node. A no-op
// when dist/ was built from the current sources, so `npm start` can build first and never serve a stale bundle.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
export const DIST_SERVER = join(ROOT, "dist", "server.js");
/** What the bundle was built from: the inputs esbuild reported and a hash of their contents. */
const MANIFEST = join(ROOT, "dist", "build.json");
/** Modules the server imports on demand (src/tracing.ts), with what only they use; rebuilt from scratch each time. */
const CHUNKS = join(ROOT, "dist", "chunks");
/** Not bundled, yet they decide what the bundle is. */
const BUILD_INPUTS = ["scripts/build.ts", "tsconfig.json", "package.json"];
/**
 * Files the app reads beside its own module at run time (`new URL(name, import.meta.url)`): copied next to the
 * bundle under the same name, so the lookup finds them in dist/ as it does in src/.
 */
const ASSETS = ["src/http/graphiql-document.graphql"];

interface Manifest {
  inputs: string[];
  hash: string;
}

/**
 * Contents, not modification times: a checkout, a copy or a restored cache can make an old file look new, or a new
 * one old.
 */
async function hashOf(inputs: readonly string[]): Promise<string | undefined> {
  const hash = createHash("sha256");
  for (const input of inputs) {
    const content = await readFile(join(ROOT, input)).catch(() => undefined);
    if (content === undefined) return undefined;
    hash.update(`${input}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}

async function isCurrent(): Promise<boolean> {
  const manifest = await readFile(MANIFEST, "utf8").then(
    (text) => JSON.parse(text) as Manifest,
    () => undefined,
  );
  if (!manifest) return false;
  const [hash, bundle] = await Promise.all([hashOf(manifest.inputs), readFile(DIST_SERVER).catch(() => undefined)]);
  return bundle !== undefined && hash === manifest.hash;
}

/**
 * Packages that stay in node_modules and load from there, each for a reason; every other package is bundled.
 * Bundling pays at start: Yoga, graphql-tools, envelop, whatwg-node and Pothos are some 600 ES modules, and Node
 * resolving, reading and linking them one by one was about 40% of the CPU time from spawn to /ready.
 */
const EXTERNAL_PACKAGES = [
  // One graphql instance for Pothos, Yoga and the rest, also if some code still loads it from node_modules.
  "graphql",
  // Prisma's runtime and engines read their wasm (and the generated clients import it) by package path.
  "@prisma/*",
  // Native addons, and packages that require optional native or worker files at run time.
  "better-sqlite3",
  "pg",
  "pg-native",
  "pino",
  // Loaded on demand when configured (src/lazy-require.ts, src/tracing.ts, GraphiQL's first page): bundled, they
  // would still be chunks, but external they cost nothing to build and nothing at a start that does not use them.
  "ioredis",
  "rate-limiter-flexible",
  "jose",
  "@opentelemetry/*",
  "@envelop/opentelemetry",
  "@graphql-yoga/render-graphiql",
];

/**
 * Bundles the app's own code (the generated Prisma clients and tools/prisma-offline included, which Node cannot run
 * as TypeScript) with the packages it uses, but EXTERNAL_PACKAGES, which load from node_modules as in development.
 */
export async function build(): Promise<"built" | "current"> {
  if (await isCurrent()) return "current";
  // Imported only to build: esbuild is a devDependency, and an image installed without it still starts a current dist/.
  const { build: esbuild } = await import("esbuild");
  await mkdir(join(ROOT, "dist"), { recursive: true });
  await rm(CHUNKS, { recursive: true, force: true });
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: ["src/server.ts"],
    outdir: join(ROOT, "dist"),
    entryNames: "[name]",
    // A dynamic import() becomes a chunk of its own. Without splitting esbuild inlines the imported module and
    // hoists its imports of (external) packages to the top of dist/server.js, so they would load at every start.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS calls require() (of Node's modules, of external packages), which an ES module lacks.
    banner: {
      js: 'import { createRequire as createRequireForBundle } from "node:module"; const require = createRequireForBundle(import.meta.url);',
    },
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  await Promise.all(ASSETS.map((asset) => copyFile(join(ROOT, asset), join(ROOT, "dist", basename(asset)))));
  const inputs = [...Object.keys(result.metafile.inputs), ...BUILD_INPUTS, ...ASSETS].sort();
  const manifest: Manifest = { inputs, hash: (await hashOf(inputs))! };
  await writeFile(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return "built";
}

if (process.argv[1] === import.meta.filename) {
  const outcome = await build();
  console.log(outcome === "built" ? "built dist/server.js" : "dist/server.js is current");
}
