-- CreateTable
CREATE TABLE "DeleteAudit" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subject" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "idCount" INTEGER NOT NULL,
    "dryRun" BOOLEAN NOT NULL,

    CONSTRAINT "DeleteAudit_pkey" PRIMARY KEY ("id")
);

