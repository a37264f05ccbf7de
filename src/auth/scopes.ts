// The permissions a token can carry; what each allows is checked by the schema's authScopes (src/builder.ts).
// things:restore-any lets a caller see, undo, restore and purge other subjects' deletions too; things:audit lets
// a caller read the delete audit (auditLog), everyone's, and nothing else.
export const SCOPES = [
  "things:read",
  "things:write",
  "things:delete",
  "things:delete-all",
  "things:restore-any",
  "things:audit",
] as const;
export type Scope = (typeof SCOPES)[number];
