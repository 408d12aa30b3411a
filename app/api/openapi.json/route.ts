import { openApiDocument } from '@/lib/http/api-contract.ts';
import { apiRoute } from '@/lib/http/api-route.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The OpenAPI 3.1 document of the whole API, generated from lib/http/api-contract.ts. */
export const GET = apiRoute(async () => Response.json(openApiDocument()));
