// The executable schema: each type file registers itself on the builder when imported.
import { builder } from "../builder.ts";
import "./scalars.ts";
import "./thing.ts";
import "./delete-things.ts";
import "./trash.ts";
import "./audit-log.ts";
import "./things-changed.ts";
import "./things-deleted.ts";

export const schema = builder.toSchema();
