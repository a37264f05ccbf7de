// The Pothos schema builder: configuration only. Types and fields live in src/schema/.
import SchemaBuilder from "@pothos/core";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";
import type { Scope } from "./config.ts";
import type { AppContext } from "./context.ts";
import { callOutcomesPlugin } from "./schema/call-outcomes.ts";
import { cursorArgumentsPlugin } from "./schema/cursors.ts";
import { ErrorCode, userError } from "./errors.ts";
import type PrismaTypes from "./generated/pothos-types.ts";
import { getDatamodel } from "./generated/pothos-types.ts";

/** The token scope a failed check asked for, to name it in the FORBIDDEN message. */
function missingScope(failure: AuthFailure): string | undefined {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return failure.scope === "reader" ? "things:read" : String(failure.parameter);
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.map(missingScope).find((scope) => scope !== undefined);
    default:
      return undefined;
  }
}

export const builder = new SchemaBuilder<{
  Context: AppContext;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  AuthScopes: {
    /** The caller's token has this scope. */
    scope: Scope;
    /** The caller may read: anyone, unless READS_REQUIRE_AUTH asks for things:read. */
    reader: boolean;
  };
  // Non-null unless a field says otherwise: clients should not have to null-check `Thing.id`.
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  // Call outcomes are counted outermost, so refused calls count too. Scope checks run before the resolver, so a
  // refused call never reaches the database; cursor checks (last, so innermost) run after them and before
  // plugin-prisma decodes the cursor.
  plugins: [callOutcomesPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin, cursorArgumentsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      scope: (scope) => context.auth?.scopes.has(scope) ?? false,
      reader: !context.readsRequireAuth || (context.auth?.scopes.has("things:read") ?? false),
    }),
    unauthorizedError: (_parent, context, _info, result) => {
      if (!context.auth) return userError(ErrorCode.UNAUTHENTICATED, "This needs an Authorization: Bearer token");
      const scope = missingScope(result.failure);
      return userError(ErrorCode.FORBIDDEN, `This needs a token with the scope ${scope ?? "it lacks"}`, { scope });
    },
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    // A resolver that forgets to spread Pothos' `query` would silently over- or under-fetch; fail loudly instead.
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "error",
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
  },
});

/** The Query root, exported so payloads can offer it for refetching in the same round trip. */
export const QueryRoot = builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
