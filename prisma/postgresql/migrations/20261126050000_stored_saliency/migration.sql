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
    "grad" BYTEA NOT NULL,
    "gradXInput" BYTEA NOT NULL,
    "logProb" BYTEA NOT NULL,

    CONSTRAINT "SaliencyChunk_pkey" PRIMARY KEY ("recordingId","chunk")
);

-- AddForeignKey
ALTER TABLE "SaliencyChunk" ADD CONSTRAINT "SaliencyChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
