-- A run's metric history as rows (lib/db/run-metrics.ts): training appends the new points a few
-- times a second, and live pages read only the points they have not seen. The whole history
-- used to be one JSON text in "Run"."metrics", rewritten on every progress write.
CREATE TABLE "RunMetric" (
    "runId" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "trainLoss" DOUBLE PRECISION NOT NULL,
    "trainBpc" DOUBLE PRECISION NOT NULL,
    "valBpc" DOUBLE PRECISION,
    "charsPerSec" DOUBLE PRECISION NOT NULL,
    "elapsedMs" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "RunMetric_pkey" PRIMARY KEY ("runId", "step"),
    CONSTRAINT "RunMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Existing histories move over, point by point (a repeated step keeps its first point).
INSERT INTO "RunMetric" ("runId", "step", "trainLoss", "trainBpc", "valBpc", "charsPerSec", "elapsedMs")
SELECT r."id", (m.value->>'step')::INTEGER,
       COALESCE((m.value->>'trainLoss')::DOUBLE PRECISION, 0), COALESCE((m.value->>'trainBpc')::DOUBLE PRECISION, 0),
       (m.value->>'valBpc')::DOUBLE PRECISION, COALESCE((m.value->>'charsPerSec')::DOUBLE PRECISION, 0), COALESCE((m.value->>'elapsedMs')::DOUBLE PRECISION, 0)
FROM "Run" r, jsonb_array_elements(r."metrics"::jsonb) m
WHERE m.value->>'step' IS NOT NULL
ON CONFLICT DO NOTHING;
ALTER TABLE "Run" DROP COLUMN "metrics";
