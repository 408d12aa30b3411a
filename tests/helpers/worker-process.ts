// A worker in its own process (DATABASE_URL from the environment), for the kill-and-resume test.
import { getDb } from '../../lib/db/client.ts';
import { startWorker } from '../../lib/jobs/worker.ts';

const db = await getDb();
startWorker(db, { pollMs: 50, log: () => {} });
