import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { PasswordTokenSchema } from './password-token.entity';
import { SessionSchema } from './session.entity';
import { UserSchema } from './user.entity';
import { ActivitySchema } from '../activity/activity.entity';
import {
	consumePasswordToken,
	hashPasswordToken,
	issuePasswordToken,
	maskEmail,
	passwordTokenStatus,
	passwordWeakness
} from './password-token.service';
import type { PasswordTokenPurpose } from './password-token.entity';
import { verifyPassword } from '../../auth/password';
import { createSession } from '../../auth/session.service';
import { AppError } from '../../errors';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();
const GOOD_PASSWORD = 'violet-harbour-lantern-42';

async function newOwner(password?: string) {
	const em = db.em();
	const client = await newClient(em);
	const suffix = uniqueSuffix();
	return newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', email: `dana.${suffix}@example.test`, password });
}

/** Issues a link token in its own committed transaction, as createClient does inside its mutation. */
async function issue(userId: string, purpose: PasswordTokenPurpose = 'welcome'): Promise<string> {
	return db.em().transactional(async (tx) => issuePasswordToken(tx, userId, purpose).token);
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
	return error;
}

describe('password link tokens', () => {
	it('are stored only as the SHA-256 of the token, with the lifetime of their purpose', async () => {
		const user = await newOwner();
		const before = Date.now();
		const welcome = await issue(user.id, 'welcome');
		const reset = await issue(user.id, 'reset');

		expect(welcome).toMatch(/^[a-z2-7]{52}$/);
		const rows: Record<string, unknown>[] = await db.em().getConnection().execute('select * from password_token where user_id = ?', [user.id]);
		expect(rows).toHaveLength(2);
		const dump = JSON.stringify(rows);
		expect(dump).not.toContain(welcome);
		expect(dump).not.toContain(reset);
		const byPurpose = Object.fromEntries(rows.map((row) => [row.purpose, row]));
		expect(byPurpose.welcome.token_hash).toBe(hashPasswordToken(welcome));
		const hours = (row: Record<string, unknown>) => (new Date(row.expires_at as string).getTime() - before) / 3_600_000;
		expect(Math.round(hours(byPurpose.welcome))).toBe(7 * 24);
		expect(Math.round(hours(byPurpose.reset))).toBe(1);
	});

	it('tell whose account a valid link is for, with the email masked', async () => {
		const user = await newOwner();
		const token = await issue(user.id);
		const status = await passwordTokenStatus(db.em(), token);
		expect(status).toEqual({ valid: true, email: maskEmail(user.email), purpose: 'welcome' });
		expect(status.email).toMatch(/^da\*\*\*@example\.test$/);
	});

	it('set an argon2id password once, sign the user out everywhere, revoke their other links and write activity', async () => {
		const user = await newOwner('an-old-password-9876');
		const other = await issue(user.id, 'reset');
		const token = await issue(user.id, 'welcome');
		await createSession(db.em(), user.id, { ip: null, userAgent: null });
		await createSession(db.em(), user.id, { ip: null, userAgent: null });

		const result = await consumePasswordToken(db.em(), token, GOOD_PASSWORD, { ip: '198.51.100.7', userAgent: 'vitest' });
		expect(result).toMatchObject({ userId: user.id, revokedSessions: 2 });

		const stored = await db.em().findOneOrFail(UserSchema, { id: user.id });
		expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(stored.passwordHash!, GOOD_PASSWORD)).toBe(true);
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(0);
		expect(await db.em().count(PasswordTokenSchema, { userId: user.id, usedAt: null })).toBe(0);

		const activity = await db.em().find(ActivitySchema, { targetId: user.id, action: 'user.password_set' });
		expect(activity).toHaveLength(1);
		expect(activity[0]).toMatchObject({ clientId: user.clientId, actorUserId: user.id, ip: '198.51.100.7' });

		const again = await failureOf(consumePasswordToken(db.em(), token, 'another-good-password-77'));
		expect(again.message).toBe('This link was already used.');
		expect((await passwordTokenStatus(db.em(), token)).reason).toBe('used');
		expect((await failureOf(consumePasswordToken(db.em(), other, 'another-good-password-77'))).message).toBe('This link was already used.');
		const unchanged = await db.em().findOneOrFail(UserSchema, { id: user.id });
		expect(await verifyPassword(unchanged.passwordHash!, GOOD_PASSWORD)).toBe(true);
	});

	it('refuse an expired link and change nothing', async () => {
		const user = await newOwner();
		const token = await issue(user.id, 'reset');
		await db.em().nativeUpdate(PasswordTokenSchema, { tokenHash: hashPasswordToken(token) }, { expiresAt: new Date(Date.now() - 1000) });

		expect(await passwordTokenStatus(db.em(), token)).toMatchObject({ valid: false, reason: 'expired' });
		const error = await failureOf(consumePasswordToken(db.em(), token, GOOD_PASSWORD));
		expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'This link has expired.' });
		expect((await db.em().findOneOrFail(UserSchema, { id: user.id })).passwordHash).toBeNull();
	});

	it('refuse unknown and malformed links without naming any account', async () => {
		for (const token of ['a'.repeat(52), 'not a token', '', hashPasswordToken('x')]) {
			expect(await passwordTokenStatus(db.em(), token)).toEqual({ valid: false, reason: 'invalid', email: null, purpose: null });
			const error = await failureOf(consumePasswordToken(db.em(), token, GOOD_PASSWORD));
			expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'This link is not valid.' });
		}
	});

	it('reject a weak password with a field error and leave the user, the link and the log untouched', async () => {
		const user = await newOwner();
		const token = await issue(user.id);
		const localPart = user.email.split('@')[0];
		for (const weak of ['short-pass', 'password1234', 'PasswordPassword', 'aaaaaaaaaaaaaa', `my-${localPart}-2026`]) {
			const error = await failureOf(consumePasswordToken(db.em(), token, weak));
			expect(error.code).toBe('BAD_REQUEST');
			expect(error.fieldErrors?.password?.[0]).toBe(passwordWeakness(weak, user.email));
		}
		expect((await db.em().findOneOrFail(UserSchema, { id: user.id })).passwordHash).toBeNull();
		expect((await passwordTokenStatus(db.em(), token)).valid).toBe(true);
		expect(await db.em().count(ActivitySchema, { targetId: user.id })).toBe(0);
	});
});

describe('account procedures (signed out)', () => {
	it('report the link state and set the password through the public procedures', async () => {
		const user = await newOwner();
		const token = await issue(user.id);
		const caller = callerFor(db.em(), null);

		expect(await caller.account.passwordTokenStatus({ token })).toMatchObject({ valid: true, email: maskEmail(user.email) });
		const weak = await caller.account.setPassword({ token, password: 'tooshort' }).catch((error: unknown) => error);
		expect(weak).toBeInstanceOf(TRPCError);
		expect((weak as TRPCError).code).toBe('BAD_REQUEST');

		expect(await caller.account.setPassword({ token, password: GOOD_PASSWORD })).toEqual({ ok: true });
		const used = await caller.account.setPassword({ token, password: GOOD_PASSWORD }).catch((error: unknown) => error);
		expect((used as TRPCError).message).toBe('This link was already used.');
		expect(await caller.account.passwordTokenStatus({ token })).toMatchObject({ valid: false, reason: 'used' });
	});
});
