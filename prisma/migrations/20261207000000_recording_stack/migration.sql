-- A recording of a stack whose layers differ (issue 12): each layer's kind, units and quantities
-- (lib/record/recorded-layers.ts). Older recordings keep null: every layer alike.
ALTER TABLE "Recording" ADD COLUMN "stack" TEXT;
