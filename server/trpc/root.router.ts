import { router } from './procedures';
import { authRouter } from '../auth/auth.router';
import { clientRouter } from '../modules/clients/client.router';

export const appRouter = router({
	auth: authRouter,
	clients: clientRouter
});

export type AppRouter = typeof appRouter;
