import type { EntityManager } from '@mikro-orm/postgresql';
import { UserSchema, type User } from '../modules/access/user.entity';
import { LoginAttemptSchema } from '../modules/access/login-attempt.entity';
import { ClientSchema } from '../modules/clients/client.entity';
import { assertSubuserMaySignIn } from '../modules/disciplinary/subuser-sign-in';
import { AppError } from '../errors';
import { spendVerifyTime, verifyPassword } from './password';
import { createSession, type NewSession } from './session.service';
import type { LoginGuard } from './login-guard';
import { hasConfirmedTotp, createSignInChallenge } from './totp.sign-in';
import { announceAuthChange } from '../modules/access/authentication.events';

export const LOCKOUT_AFTER_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export interface SignInInput {
	email: string;
	password: string;
	ip: string | null;
	userAgent: string | null;
}

export function lockedMessage(until: Date) {
	const time = until.toISOString().slice(11, 16);
	return `This account is locked after ${LOCKOUT_AFTER_FAILURES} failed sign-ins. Try again after ${time} UTC or reset your password.`;
}

export async function record(
	em: EntityManager,
	input: Pick<SignInInput, 'email' | 'ip' | 'userAgent'>,
	user: User | null,
	succeeded: boolean,
	reason: string
) {
	em.create(LoginAttemptSchema, {
		email: input.email.toLowerCase(),
		userId: user?.id ?? null,
		succeeded,
		reason,
		ip: input.ip,
		userAgent: input.userAgent,
		createdAt: new Date()
	});
	await em.flush();
	// The client's Authentication tab lists sign-ins (failed ones and the sessions they open) live.
	if (user) await announceAuthChange(em, user.clientId ?? null, succeeded ? 'sessions' : 'attempts', [user.id]);
}

/** Consecutive failures since the last success, within the lock-out window. */
export async function recentFailures(em: EntityManager, userId: string): Promise<number> {
	const rows = await em.find(
		LoginAttemptSchema,
		{ userId, createdAt: { $gt: new Date(Date.now() - LOCKOUT_MS) } },
		{ orderBy: { id: 'desc' }, limit: LOCKOUT_AFTER_FAILURES, fields: ['succeeded'] }
	);
	const lastSuccess = rows.findIndex((row) => row.succeeded);
	return lastSuccess === -1 ? rows.length : lastSuccess;
}

export type SignInOutcome =
	| (NewSession & { user: User; needsTotp: false })
	/** The password was right; the session opens once the second step (TOTP or recovery code) succeeds. */
	| { user: User; needsTotp: true; challengeId: string; token: null; session: null };

/**
 * Checks the credentials with rate limits and lock-out; on success opens a session, or for a
 * user with two-factor authentication hands out a short-lived challenge for the second step.
 */
export async function signIn(em: EntityManager, guard: LoginGuard, input: SignInInput): Promise<SignInOutcome> {
	await guard.consume(input.ip, input.email);
	const user = await em.findOne(UserSchema, { email: { $ilike: input.email.replace(/[\\%_]/g, '\\$&') } });
	if (!user) {
		await spendVerifyTime(input.password);
		await record(em, input, null, false, 'unknown_email');
		throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
	}
	if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
		await spendVerifyTime(input.password);
		await record(em, input, user, false, 'locked');
		throw new AppError('UNAUTHORIZED', lockedMessage(user.lockedUntil));
	}
	const passwordOk = user.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false;
	if (!passwordOk) {
		await record(em, input, user, false, 'bad_password');
		if ((await recentFailures(em, user.id)) >= LOCKOUT_AFTER_FAILURES) {
			user.lockedUntil = new Date(Date.now() + LOCKOUT_MS);
			await em.flush();
			throw new AppError('UNAUTHORIZED', lockedMessage(user.lockedUntil));
		}
		throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
	}
	// Only now, with the right password, may the answer reveal that the account exists.
	if (user.blockedAt) {
		await record(em, input, user, false, 'blocked');
		throw new AppError('UNAUTHORIZED', 'This account is blocked. Contact your administrator or our support team.');
	}
	if (!user.active) {
		await record(em, input, user, false, 'inactive');
		throw new AppError('UNAUTHORIZED', 'This account is deactivated. Contact your account owner.');
	}
	if (user.clientId) {
		const client = await em.findOneOrFail(ClientSchema, { id: user.clientId });
		if (client.status === 'blocked' || client.status === 'terminated') {
			await record(em, input, user, false, `client_${client.status}`);
			throw new AppError('UNAUTHORIZED', `This account is ${client.status}. Contact our support team.`);
		}
		// Disciplinary: a restriction may forbid sub-users (not the owner) to sign in.
		await assertSubuserMaySignIn(em, user).catch(async (error: unknown) => {
			await record(em, input, user, false, 'client_restricted');
			throw error;
		});
	}
	if (await hasConfirmedTotp(em, user.id)) {
		const challengeId = await createSignInChallenge(em, user.id, input);
		return { user, needsTotp: true, challengeId, token: null, session: null };
	}
	return { ...(await finishSignIn(em, guard, user, input)), user, needsTotp: false };
}

/** The last step of every successful sign-in: recorded, lock-out cleared, session opened. */
export async function finishSignIn(
	em: EntityManager,
	guard: LoginGuard,
	user: User,
	input: Pick<SignInInput, 'email' | 'ip' | 'userAgent'>
): Promise<NewSession> {
	const session = await createSession(em, user.id, { ip: input.ip, userAgent: input.userAgent });
	await record(em, input, user, true, 'ok');
	await em.nativeUpdate(UserSchema, { id: user.id }, { lockedUntil: null });
	user.lockedUntil = null;
	await guard.reset(input.email);
	return session;
}
