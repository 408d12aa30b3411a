import { sharingRoutes } from '@/lib/http/sharing-route.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Who may read this recording besides its owner: GET answers, POST sets (its owner only). */
const routes = sharingRoutes('recording');
export const GET = routes.GET;
export const POST = routes.POST;
