-- CreateTable
CREATE TABLE "NeuronStat" (
    "recordingId" INTEGER NOT NULL,
    "layer" INTEGER NOT NULL,
    "quantity" TEXT NOT NULL,
    "cell" INTEGER NOT NULL,
    "mean" REAL NOT NULL,
    "std" REAL NOT NULL,
    "low" REAL NOT NULL,
    "high" REAL NOT NULL,
    "data" TEXT NOT NULL,

    PRIMARY KEY ("recordingId", "layer", "quantity", "cell"),
    CONSTRAINT "NeuronStat_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
