import { router } from './procedures';
import { authRouter } from '../auth/auth.router';
import { clientRouter } from '../modules/clients/client.router';
import { accountRouter } from '../modules/access/password-token.router';
import { mailRouter } from '../modules/mail/mail.router';
import { disciplinaryRouter } from '../modules/disciplinary/disciplinary.router';
import { usersRouter } from '../modules/access/users.router';
import { rolesRouter } from '../modules/access/roles.router';
import { invitationRouter } from '../modules/access/invitation.router';
import { profileRouter } from '../modules/clients/profile.router';
import { companyRouter } from '../modules/clients/company.router';
import { activityRouter } from '../modules/activity/activity.router';
import { authenticationRouter } from '../modules/access/authentication.router';
import { catalogRouter } from '../modules/catalog/catalog.router';
import { subscriptionsRouter } from '../modules/subscriptions/subscription.router';
import { billingSettingsRouter } from '../modules/billing/billing-settings.router';
import { ledgerRouter } from '../modules/ledger/ledger.router';

export const appRouter = router({
	auth: authRouter,
	clients: clientRouter,
	disciplinary: disciplinaryRouter,
	account: accountRouter,
	mail: mailRouter,
	users: usersRouter,
	roles: rolesRouter,
	invitations: invitationRouter,
	profile: profileRouter,
	company: companyRouter,
	activity: activityRouter,
	authentication: authenticationRouter,
	catalog: catalogRouter,
	subscriptions: subscriptionsRouter,
	transactions: ledgerRouter,
	billingSettings: billingSettingsRouter
});

export type AppRouter = typeof appRouter;
