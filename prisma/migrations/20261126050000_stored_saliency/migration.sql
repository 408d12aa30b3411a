-- AlterTable: the saliency range a recording was asked to store (NULL: none)
ALTER TABLE "Recording" ADD COLUMN "saliencyStart" INTEGER;
ALTER TABLE "Recording" ADD COLUMN "saliencyEnd" INTEGER;
ALTER TABLE "Recording" ADD COLUMN "saliencyWindow" INTEGER;

-- CreateTable
CREATE TABLE "SaliencyChunk" (
    "recordingId" INTEGER NOT NULL,
    "chunk" INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "length" INTEGER NOT NULL,
    "grad" BLOB NOT NULL,
    "gradXInput" BLOB NOT NULL,
    "logProb" BLOB NOT NULL,

    PRIMARY KEY ("recordingId", "chunk"),
    CONSTRAINT "SaliencyChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
