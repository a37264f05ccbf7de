-- CreateIndex
CREATE UNIQUE INDEX "DeleteAudit_at_id_key" ON "DeleteAudit"("at", "id");

