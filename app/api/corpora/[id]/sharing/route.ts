import { sharingRoutes } from '@/lib/http/sharing-route.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Who may read this corpus besides its owner: GET answers, POST sets (its owner only). */
const routes = sharingRoutes('corpus');
export const GET = routes.GET;
export const POST = routes.POST;
