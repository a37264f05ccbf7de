// The trusted documents: the operations the project's own clients (examples/apollo, examples/web) were built with,
// by SHA-256 hash. Generated into this folder by `npm run codegen` (codegen.ts), so the server and its esbuild bundle
// carry them as code and never read examples/ at run time.
import { trustedDocuments as apolloExample } from "./generated/apollo-example.ts";
import { trustedDocuments as webExample } from "./generated/web-example.ts";

const byId = new Map<string, string>(
  Object.entries({ ...apolloExample, ...webExample }).map(([id, entry]) => [id, entry.document]),
);

/** The document a trusted id (`sha256:<hex>`) stands for; undefined when the id is not one of ours. */
export function trustedDocument(id: string): string | undefined {
  return byId.get(id);
}

/**
 * The operation names of the trusted documents: a closed set, so metrics may label by it without a client choosing
 * labels (any other name is not ours).
 */
export const TRUSTED_OPERATION_NAMES: ReadonlySet<string> = new Set(
  [...Object.values(apolloExample), ...Object.values(webExample)].map((entry) => entry.operationName),
);
