import { sharingRoutes } from '@/lib/http/sharing-route.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Who may read this lab besides its owner: GET answers, POST sets (its owner only). */
const routes = sharingRoutes('lab');
export const GET = routes.GET;
export const POST = routes.POST;
