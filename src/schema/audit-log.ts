// The delete audit as the API shows it: auditLog, every DeleteAudit row (each committed delete, trash move,
// restore and purge, whoever made it), newest first, for callers with the things:audit scope. Rows older than
// AUDIT_RETENTION_MS are gone (src/audit-purge.ts).
import { builder } from "../builder.ts";
import { CURSOR_VALUE_EXTENSION, isTimeAndIdCursor } from "./cursors.ts";
import { MAX_PAGE_SIZE, requirePageSize } from "./thing.ts";

builder.prismaObject("DeleteAudit", {
  name: "AuditEntry",
  description: "One committed call that deleted, trashed, restored or purged Things (dry runs included).",
  fields: (t) => ({
    id: t.exposeID("id"),
    at: t.expose("at", { type: "DateTime", description: "When the call committed." }),
    subject: t.exposeString("subject", {
      description: "The token's subject (an API key's sub, the JWT sub claim); system:purge for the trash purge.",
    }),
    operation: t.exposeString("operation", {
      description:
        "deleteThings, deleteThingsWhere, deleteAllThings, undoDelete, restoreThings, purgeThings, emptyTrash or purgeExpired.",
    }),
    idCount: t.exposeInt("idCount", {
      description:
        "Distinct ids named (deleteThings, restoreThings, purgeThings), rows matched (deleteThingsWhere, deleteAllThings) or rows moved (undoDelete, emptyTrash, purgeExpired).",
    }),
    dryRun: t.exposeBoolean("dryRun"),
    deletionId: t.exposeID("deletionId", {
      nullable: true,
      description: "The Deletion an undoable delete made or an undoDelete took back; null otherwise.",
    }),
  }),
});

/** A cursor of the audit log: [at, id]. */
const isAuditCursor = isTimeAndIdCursor(Number.isSafeInteger);

builder.queryFields((t) => ({
  auditLog: t.prismaConnection({
    type: "DeleteAudit",
    authScopes: { scope: "things:audit" },
    cursor: "at_id",
    maxSize: MAX_PAGE_SIZE,
    extensions: { [CURSOR_VALUE_EXTENSION]: isAuditCursor },
    description: `Every subject's delete audit, newest first, as long as AUDIT_RETENTION_MS keeps it; \`first\`/\`last\` at most ${MAX_PAGE_SIZE}. Needs things:audit.`,
    resolve: (query, _root, args, context) => {
      requirePageSize(args);
      return context.prisma.deleteAudit.findMany({ ...query, orderBy: [{ at: "desc" }, { id: "desc" }] });
    },
    totalCount: (_root, _args, context) => context.prisma.deleteAudit.count(),
  }),
}));
