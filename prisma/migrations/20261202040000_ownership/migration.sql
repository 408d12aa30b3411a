-- Ownership and visibility (lib/auth/access.ts): every corpus, run, recording, lab, label track
-- and job has an owner (null: made in local mode or the demo) and a visibility, private by
-- default; Share rows name the users a `shared` item is shown to, read-only.
ALTER TABLE "Corpus" ADD COLUMN "ownerId" INTEGER REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Corpus" ADD COLUMN "visibility" TEXT NOT NULL DEFAULT 'private';
CREATE INDEX "Corpus_ownerId_idx" ON "Corpus"("ownerId");
ALTER TABLE "Run" ADD COLUMN "ownerId" INTEGER REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Run" ADD COLUMN "visibility" TEXT NOT NULL DEFAULT 'private';
CREATE INDEX "Run_ownerId_idx" ON "Run"("ownerId");
ALTER TABLE "Recording" ADD COLUMN "ownerId" INTEGER REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Recording" ADD COLUMN "visibility" TEXT NOT NULL DEFAULT 'private';
CREATE INDEX "Recording_ownerId_idx" ON "Recording"("ownerId");
ALTER TABLE "MemoryLab" ADD COLUMN "ownerId" INTEGER REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "MemoryLab" ADD COLUMN "visibility" TEXT NOT NULL DEFAULT 'private';
CREATE INDEX "MemoryLab_ownerId_idx" ON "MemoryLab"("ownerId");
ALTER TABLE "CorpusLabels" ADD COLUMN "ownerId" INTEGER REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "CorpusLabels" ADD COLUMN "visibility" TEXT NOT NULL DEFAULT 'private';
CREATE INDEX "CorpusLabels_ownerId_idx" ON "CorpusLabels"("ownerId");
ALTER TABLE "Job" ADD COLUMN "ownerId" INTEGER REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Job" ADD COLUMN "visibility" TEXT NOT NULL DEFAULT 'private';
CREATE INDEX "Job_ownerId_idx" ON "Job"("ownerId");
CREATE TABLE "Share" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "corpusId" INTEGER,
    "runId" INTEGER,
    "recordingId" INTEGER,
    "labId" INTEGER,
    "labelsId" INTEGER,
    CONSTRAINT "Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Share_corpusId_fkey" FOREIGN KEY ("corpusId") REFERENCES "Corpus" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Share_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Share_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Share_labId_fkey" FOREIGN KEY ("labId") REFERENCES "MemoryLab" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Share_labelsId_fkey" FOREIGN KEY ("labelsId") REFERENCES "CorpusLabels" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Share_corpusId_idx" ON "Share"("corpusId");
CREATE INDEX "Share_runId_idx" ON "Share"("runId");
CREATE INDEX "Share_recordingId_idx" ON "Share"("recordingId");
CREATE INDEX "Share_labId_idx" ON "Share"("labId");
CREATE INDEX "Share_labelsId_idx" ON "Share"("labelsId");
CREATE INDEX "Share_userId_idx" ON "Share"("userId");
