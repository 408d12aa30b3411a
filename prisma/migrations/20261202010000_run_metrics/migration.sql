-- A run's metric history as rows (lib/db/run-metrics.ts): training appends the new points a few
-- times a second, and live pages read only the points they have not seen. The whole history
-- used to be one JSON text in "Run"."metrics", rewritten on every progress write.
CREATE TABLE "RunMetric" (
    "runId" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "trainLoss" REAL NOT NULL,
    "trainBpc" REAL NOT NULL,
    "valBpc" REAL,
    "charsPerSec" REAL NOT NULL,
    "elapsedMs" REAL NOT NULL,
    PRIMARY KEY ("runId", "step"),
    CONSTRAINT "RunMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Existing histories move over, point by point (a repeated step keeps its first point).
INSERT OR IGNORE INTO "RunMetric" ("runId", "step", "trainLoss", "trainBpc", "valBpc", "charsPerSec", "elapsedMs")
SELECT r."id", CAST(json_extract(m.value, '$.step') AS INTEGER),
       COALESCE(json_extract(m.value, '$.trainLoss'), 0), COALESCE(json_extract(m.value, '$.trainBpc'), 0),
       json_extract(m.value, '$.valBpc'), COALESCE(json_extract(m.value, '$.charsPerSec'), 0), COALESCE(json_extract(m.value, '$.elapsedMs'), 0)
FROM "Run" r, json_each(r."metrics") m
WHERE json_valid(r."metrics") AND json_extract(m.value, '$.step') IS NOT NULL;
ALTER TABLE "Run" DROP COLUMN "metrics";
