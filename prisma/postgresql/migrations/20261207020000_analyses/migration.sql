-- Long analyses of a recording's model (issue 13: the causal ranking), each run as a job and kept
-- with its result so that its page is a permalink (lib/db/analyses.ts).
CREATE TABLE "Analysis" (
    "id" SERIAL NOT NULL,
    "recordingId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "result" TEXT,
    "jobId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Analysis_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Analysis_recordingId_idx" ON "Analysis"("recordingId");
ALTER TABLE "Analysis" ADD CONSTRAINT "Analysis_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
