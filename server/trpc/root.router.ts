import { router } from './procedures';
import { authRouter } from '../auth/auth.router';
import { clientRouter } from '../modules/clients/client.router';
import { accountRouter } from '../modules/access/password-token.router';
import { mailRouter } from '../modules/mail/mail.router';
import { disciplinaryRouter } from '../modules/disciplinary/disciplinary.router';

export const appRouter = router({
	auth: authRouter,
	clients: clientRouter,
	disciplinary: disciplinaryRouter,
	account: accountRouter,
	mail: mailRouter
});

export type AppRouter = typeof appRouter;
