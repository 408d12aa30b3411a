-- AlterTable: what a corpus position is ("char", or "word": text is the tokens joined by single spaces)
ALTER TABLE "Corpus" ADD COLUMN "unit" TEXT NOT NULL DEFAULT 'char';
-- AlterTable: where a recording's states came from (NULL: recorded here; "lstmvis": imported, no predictions, no model)
ALTER TABLE "Recording" ADD COLUMN "origin" TEXT;
