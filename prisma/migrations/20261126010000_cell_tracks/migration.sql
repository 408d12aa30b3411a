-- CreateTable
CREATE TABLE "CellTrack" (
    "recordingId" INTEGER NOT NULL,
    "layer" INTEGER NOT NULL,
    "quantity" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "block" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("recordingId", "layer", "quantity", "level", "block"),
    CONSTRAINT "CellTrack_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
