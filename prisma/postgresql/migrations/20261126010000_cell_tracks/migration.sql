-- CreateTable
CREATE TABLE "CellTrack" (
    "recordingId" INTEGER NOT NULL,
    "layer" INTEGER NOT NULL,
    "quantity" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "block" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "CellTrack_pkey" PRIMARY KEY ("recordingId","layer","quantity","level","block")
);

-- AddForeignKey
ALTER TABLE "CellTrack" ADD CONSTRAINT "CellTrack_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
