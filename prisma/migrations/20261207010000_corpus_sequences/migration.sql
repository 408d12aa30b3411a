-- A corpus may be a set of sequences (issue 12): where each starts, and its label
-- (lib/corpus/sequences.ts). Older corpora keep null: one continuous text.
ALTER TABLE "Corpus" ADD COLUMN "sequences" TEXT;
