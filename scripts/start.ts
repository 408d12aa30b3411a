// `npm start`: the web app and its job worker on PORT (default 3000), database from DATABASE_URL
// (default: SQLite in ./data). Same as `cellscope serve`.
import { serve } from '../lib/server/serve.ts';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}
serve({ port }).catch((err: unknown) => {
  console.error(`cellscope: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
