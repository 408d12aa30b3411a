-- AlterTable: an imported model's own vocabulary (JSON array of characters by token id); NULL: its corpus's
ALTER TABLE "Run" ADD COLUMN "vocab" TEXT;
