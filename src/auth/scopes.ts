// The permissions a token can carry; what each allows is checked by the schema's authScopes (src/builder.ts).
export const SCOPES = ["things:read", "things:write", "things:delete", "things:delete-all"] as const;
export type Scope = (typeof SCOPES)[number];
