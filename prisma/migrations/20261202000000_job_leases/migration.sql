-- AlterTable: a running job's lease (lib/db/jobs.ts): the process holding it, renewed by its
-- heartbeat until it expires; only an expired lease (or a dead holder on this host) is re-queued.
ALTER TABLE "Job" ADD COLUMN "leaseOwner" TEXT;
ALTER TABLE "Job" ADD COLUMN "leaseExpiresAt" DATETIME;
