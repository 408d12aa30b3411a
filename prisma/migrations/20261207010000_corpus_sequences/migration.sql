-- A corpus may be a set of sequences (issue 12): where each starts, and its label
-- (lib/corpus/sequences.ts), and how many there are (read with every corpus summary, so the
-- starts are not parsed for it). Older corpora keep null: one continuous text.
ALTER TABLE "Corpus" ADD COLUMN "sequences" TEXT;
ALTER TABLE "Corpus" ADD COLUMN "sequenceCount" INTEGER;
