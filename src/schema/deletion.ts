// The Deletion type: one undoable delete call, as DeleteThingsPayload.deletion and the trash lists show it.
import { builder } from "../builder.ts";

export const DeletionObject = builder.prismaObject("Deletion", {
  description: "One undoable delete call: the rows it moved to the trash, and until when they can be restored.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Pass it to undoDelete." }),
    operation: t.exposeString("operation", {
      description: "The mutation that made it: deleteThings, deleteThingsWhere or deleteAllThings.",
    }),
    count: t.exposeInt("count", { description: "Rows this deletion moved to the trash (fixed)." }),
    remaining: t.relationCount("things", {
      description: "Of those, still in the trash now (not restored, not purged).",
    }),
    deletedAt: t.expose("deletedAt", { type: "DateTime" }),
    restorableUntil: t.expose("restorableUntil", {
      type: "DateTime",
      description: "After this, undoDelete answers UNDO_EXPIRED and the purge removes the rows for good.",
    }),
    deletedBy: t.exposeString("deletedBy", { description: "The subject of the token that deleted." }),
  }),
});
