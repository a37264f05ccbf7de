// The permissions a token can carry; what each allows is checked by the schema's authScopes (src/builder.ts).
// things:restore-any lets a caller see, undo, restore and purge other subjects' deletions too; things:audit lets
// a caller read the delete audit (auditLog), everyone's, and nothing else. things:any-document lets a caller send
// any GraphQL document when TRUSTED_DOCUMENTS_ONLY=true (src/plugins/use-trusted-documents.ts).
export const SCOPES = [
  "things:read",
  "things:write",
  "things:delete",
  "things:delete-all",
  "things:restore-any",
  "things:audit",
  "things:any-document",
] as const;
export type Scope = (typeof SCOPES)[number];
