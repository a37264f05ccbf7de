-- AlterTable
ALTER TABLE "DeleteAudit" ADD COLUMN     "deletionId" TEXT;

-- CreateTable
CREATE TABLE "Deletion" (
    "id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "ids" TEXT NOT NULL,
    "deletedBy" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL,
    "restorableUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Deletion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrashedThing" (
    "id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "deletionId" TEXT NOT NULL,

    CONSTRAINT "TrashedThing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Deletion_deletedBy_idx" ON "Deletion"("deletedBy");

-- CreateIndex
CREATE INDEX "Deletion_restorableUntil_idx" ON "Deletion"("restorableUntil");

-- CreateIndex
CREATE UNIQUE INDEX "Deletion_deletedAt_id_key" ON "Deletion"("deletedAt", "id");

-- CreateIndex
CREATE INDEX "TrashedThing_deletionId_id_idx" ON "TrashedThing"("deletionId", "id");

-- AddForeignKey
ALTER TABLE "TrashedThing" ADD CONSTRAINT "TrashedThing_deletionId_fkey" FOREIGN KEY ("deletionId") REFERENCES "Deletion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

