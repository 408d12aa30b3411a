-- CreateTable
CREATE TABLE "CellColumn" (
    "recordingId" INTEGER NOT NULL,
    "layer" INTEGER NOT NULL,
    "quantity" TEXT NOT NULL,
    "cell" INTEGER NOT NULL,
    "block" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "CellColumn_pkey" PRIMARY KEY ("recordingId","layer","quantity","cell","block")
);

-- AddForeignKey
ALTER TABLE "CellColumn" ADD CONSTRAINT "CellColumn_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
