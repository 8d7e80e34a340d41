import { assertSubuserMaySignIn } from '../modules/disciplinary/subuser-sign-in';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignInChallengeSchema, UserTotpSchema } from './totp.entity';
import { generateSessionToken, sessionIdFromToken } from './session-token';
import { verifySecondFactor } from './totp.service';
import type { LoginGuard } from './login-guard';
import type { NewSession } from './session.service';
import { finishSignIn, lockedMessage, LOCKOUT_AFTER_FAILURES, LOCKOUT_MS, record, recentFailures, type SignInInput } from './sign-in.service';
import { UserSchema, type User } from '../modules/access/user.entity';
import { ClientSchema } from '../modules/clients/client.entity';
import { AppError } from '../errors';
import { resetAuthLimit } from '../modules/access/authentication.rate-limit';

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
/** Guesses per challenge; the per-user and per-IP limits and the lock-out still apply on top. */
export const CHALLENGE_MAX_ATTEMPTS = 5;

const CHALLENGE_GONE = 'This sign-in has expired. Enter your email and password again.';

export async function hasConfirmedTotp(em: EntityManager, userId: string): Promise<boolean> {
	return (await em.count(UserTotpSchema, { userId, confirmedAt: { $ne: null } })) > 0;
}

/**
 * After the right password, for a user with two-factor on: a random challenge token (only its
 * hash is stored) that the browser trades, with a code, for a session within five minutes.
 */
export async function createSignInChallenge(em: EntityManager, userId: string, meta: Pick<SignInInput, 'ip' | 'userAgent'>): Promise<string> {
	const token = generateSessionToken();
	const now = new Date();
	// A user's earlier unfinished challenges end here, and long-dead ones are swept.
	await em.nativeDelete(SignInChallengeSchema, { $or: [{ userId }, { expiresAt: { $lt: new Date(now.getTime() - 24 * 60 * 60 * 1000) } }] });
	em.create(SignInChallengeSchema, {
		id: sessionIdFromToken(token),
		userId,
		attempts: 0,
		ip: meta.ip,
		userAgent: meta.userAgent,
		createdAt: now,
		expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
		usedAt: null
	});
	await em.flush();
	return token;
}

/** The account may have been blocked, deactivated or locked during the five minutes. */
async function stillAllowed(em: EntityManager, user: User): Promise<string | null> {
	if (user.blockedAt) return 'This account is blocked. Contact your administrator or our support team.';
	if (!user.active) return 'This account is deactivated. Contact your account owner.';
	if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) return lockedMessage(user.lockedUntil);
	if (user.clientId) {
		const client = await em.findOne(ClientSchema, { id: user.clientId }, { fields: ['status'] });
		if (!client || client.status === 'blocked' || client.status === 'terminated') return `This account is ${client?.status ?? 'closed'}. Contact our support team.`;
		// A restriction on sub-user sign-ins may have started since the password step.
		const restricted = await assertSubuserMaySignIn(em, user).then(
			() => null,
			(error: unknown) => (error instanceof AppError ? error.message : Promise.reject(error))
		);
		if (restricted) return restricted;
	}
	return null;
}

/** The second step: a TOTP or recovery code for the challenge opens the session. */
export async function completeSignInChallenge(
	em: EntityManager,
	guard: LoginGuard,
	input: { challengeId: string; code: string; ip: string | null; userAgent: string | null }
): Promise<NewSession & { user: User; method: 'totp' | 'recovery' }> {
	const id = /^[a-z2-7]{32}$/.test(input.challengeId) ? sessionIdFromToken(input.challengeId) : null;
	const challenge = id ? await em.findOne(SignInChallengeSchema, { id }, { refresh: true }) : null;
	if (!challenge || challenge.usedAt || challenge.expiresAt.getTime() <= Date.now() || challenge.attempts >= CHALLENGE_MAX_ATTEMPTS) {
		throw new AppError('UNAUTHORIZED', CHALLENGE_GONE);
	}
	const user = await em.findOneOrFail(UserSchema, { id: challenge.userId }, { refresh: true });
	const attempt = { email: user.email, ip: input.ip, userAgent: input.userAgent };
	const refused = await stillAllowed(em, user);
	if (refused) {
		await em.nativeDelete(SignInChallengeSchema, { id: challenge.id });
		throw new AppError('UNAUTHORIZED', refused);
	}

	let method: 'totp' | 'recovery';
	try {
		method = await verifySecondFactor(em, user.id, input.code, input.ip);
	} catch (error) {
		if (!(error instanceof AppError) || error.code !== 'BAD_REQUEST') throw error;
		await em.nativeUpdate(SignInChallengeSchema, { id: challenge.id }, { attempts: challenge.attempts + 1 });
		await record(em, attempt, user, false, 'bad_second_factor');
		// A right password with wrong codes counts toward the same lock-out as wrong passwords.
		if ((await recentFailures(em, user.id)) >= LOCKOUT_AFTER_FAILURES) {
			const lockedUntil = new Date(Date.now() + LOCKOUT_MS);
			await em.nativeUpdate(UserSchema, { id: user.id }, { lockedUntil });
			await em.nativeDelete(SignInChallengeSchema, { id: challenge.id });
			throw new AppError('UNAUTHORIZED', lockedMessage(lockedUntil));
		}
		throw error;
	}
	// Single use: a second request with the same challenge finds it claimed.
	const claimed = await em.nativeUpdate(SignInChallengeSchema, { id: challenge.id, usedAt: null }, { usedAt: new Date() });
	if (!claimed) throw new AppError('UNAUTHORIZED', CHALLENGE_GONE);
	const session = await finishSignIn(em, guard, user, attempt);
	// The owner's own earlier typos stop counting; the per-IP limit is never reset by a success.
	await resetAuthLimit(em, 'totpVerifyPerUser', user.id);
	return { ...session, user, method };
}
