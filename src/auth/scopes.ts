// The permissions a token can carry; what each allows is checked by the schema's authScopes (src/builder.ts).
// things:restore-any lets a caller see, undo, restore and purge other subjects' deletions too.
export const SCOPES = [
  "things:read",
  "things:write",
  "things:delete",
  "things:delete-all",
  "things:restore-any",
] as const;
export type Scope = (typeof SCOPES)[number];
