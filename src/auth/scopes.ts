// The permissions a token can carry (things:restore-any: undo, restore and purge other subjects' deletions, and see
// them in the trash); what each allows is checked by the schema's authScopes (src/builder.ts).
export const SCOPES = ["things:read", "things:write", "things:delete", "things:delete-all", "things:restore-any"] as const;
export type Scope = (typeof SCOPES)[number];
