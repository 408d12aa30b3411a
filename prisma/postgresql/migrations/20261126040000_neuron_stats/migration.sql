-- CreateTable
CREATE TABLE "NeuronStat" (
    "recordingId" INTEGER NOT NULL,
    "layer" INTEGER NOT NULL,
    "quantity" TEXT NOT NULL,
    "cell" INTEGER NOT NULL,
    "mean" DOUBLE PRECISION NOT NULL,
    "std" DOUBLE PRECISION NOT NULL,
    "low" DOUBLE PRECISION NOT NULL,
    "high" DOUBLE PRECISION NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "NeuronStat_pkey" PRIMARY KEY ("recordingId","layer","quantity","cell")
);

-- AddForeignKey
ALTER TABLE "NeuronStat" ADD CONSTRAINT "NeuronStat_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
