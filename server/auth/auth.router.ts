import { z } from 'zod';
import { authenticatedProcedure, clientProcedure, publicProcedure, router } from '../trpc/procedures';
import { SESSION_COOKIE, STAFF_SESSION_COOKIE } from '../trpc/context';
import { SESSION_LIFETIME_MS } from './session.service';
import { signOut } from './sign-out.service';
import { sessionIdFromToken } from './session-token';
import { signIn } from './sign-in.service';
import { endImpersonation, startImpersonation } from './impersonation.service';
import { completeSignInChallenge } from './totp.sign-in';
import { sessionEndReason } from '../modules/access/authentication.sessions';

const COOKIE_SECONDS = SESSION_LIFETIME_MS / 1000;

export const signInInput = z.object({
	email: z.email('Enter a valid email address.').max(320),
	password: z.string().min(1, 'Enter your password.').max(1000)
});

export const signInCodeInput = z.object({
	challengeId: z.string().max(100),
	code: z.string().trim().min(1, 'Enter the code from your authenticator app.').max(40)
});

export const authRouter = router({
	/** The password step: a session, or `needsTotp` with a challenge for the code step. */
	signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
		const outcome = await signIn(ctx.em, ctx.deps.loginGuard, { ...input, ...ctx.request });
		if (outcome.needsTotp) return { needsTotp: true as const, challengeId: outcome.challengeId };
		ctx.cookies.set(SESSION_COOKIE, outcome.token, { maxAgeSeconds: COOKIE_SECONDS });
		ctx.cookies.delete(STAFF_SESSION_COOKIE);
		return { needsTotp: false as const, kind: outcome.user.kind, clientId: outcome.user.clientId ?? null };
	}),

	/** The second step for users with two-factor authentication: a TOTP or a recovery code. */
	signInWithCode: publicProcedure.input(signInCodeInput).mutation(async ({ ctx, input }) => {
		const { token, user, method } = await completeSignInChallenge(ctx.em, ctx.deps.loginGuard, { ...input, ...ctx.request });
		ctx.cookies.set(SESSION_COOKIE, token, { maxAgeSeconds: COOKIE_SECONDS });
		ctx.cookies.delete(STAFF_SESSION_COOKIE);
		return { kind: user.kind, clientId: user.clientId ?? null, usedRecoveryCode: method === 'recovery' };
	}),

	/**
	 * Why the browser's (now dead) session was ended by someone else, for the sign-in page. Takes
	 * the token itself, which only that browser holds; answers null for anything unknown.
	 */
	sessionEndReason: publicProcedure
		.input(z.object({ token: z.string().max(100) }))
		.query(({ ctx, input }) => sessionEndReason(ctx.em, input.token)),

	signOut: authenticatedProcedure.mutation(async ({ ctx }) => {
		const staffToken = ctx.cookies.get(STAFF_SESSION_COOKIE);
		const sessionIds = [ctx.actor.sessionId, staffToken ? sessionIdFromToken(staffToken) : null].filter((id): id is string => !!id);
		await signOut(ctx.em, ctx.actor, sessionIds);
		ctx.cookies.delete(SESSION_COOKIE);
		ctx.cookies.delete(STAFF_SESSION_COOKIE);
		return { ok: true };
	}),

	me: authenticatedProcedure.query(({ ctx }) => ({
		userId: ctx.actor.userId,
		name: ctx.actor.name,
		email: ctx.actor.email,
		kind: ctx.actor.kind,
		clientId: ctx.actor.clientId,
		roleName: ctx.actor.roleName,
		permissions: [...ctx.actor.permissions],
		impersonator: ctx.actor.impersonator
	})),

	impersonate: clientProcedure('clients.impersonate')
		.input(z.object({ clientId: z.uuid(), userId: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			const { token } = await startImpersonation(ctx.em, ctx.actor, input);
			// Keep the staff session aside so "Stop" returns to it without signing in again.
			if (ctx.sessionToken) ctx.cookies.set(STAFF_SESSION_COOKIE, ctx.sessionToken, { maxAgeSeconds: COOKIE_SECONDS });
			ctx.cookies.set(SESSION_COOKIE, token, { maxAgeSeconds: COOKIE_SECONDS });
			return { clientId: input.clientId };
		}),

	stopImpersonating: authenticatedProcedure.mutation(async ({ ctx }) => {
		const clientId = ctx.actor.clientId;
		await endImpersonation(ctx.em, ctx.actor);
		const staffToken = ctx.cookies.get(STAFF_SESSION_COOKIE);
		if (staffToken) ctx.cookies.set(SESSION_COOKIE, staffToken, { maxAgeSeconds: COOKIE_SECONDS });
		else ctx.cookies.delete(SESSION_COOKIE);
		ctx.cookies.delete(STAFF_SESSION_COOKIE);
		return { clientId };
	})
});
