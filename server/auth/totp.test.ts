import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP, generateTOTP } from '@oslojs/otp';
import { TotpRecoveryCodeSchema, UserTotpSchema } from './totp.entity';
import { decryptSecret } from './totp.crypto';
import { TOTP_PERIOD_SECONDS } from './totp.codes';
import { SESSION_COOKIE } from '../trpc/context';
import { SessionSchema } from '../modules/access/session.entity';
import { ActivitySchema } from '../modules/activity/activity.entity';
import { LoginAttemptSchema } from '../modules/access/login-attempt.entity';
import { useTestDatabase } from '../../tests/integration/test-database';
import { MemoryCookieJar, actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../tests/integration/factories';
import type { User } from '../modules/access/user.entity';

const db = await useTestDatabase();
const PASSWORD = 'correct horse battery staple';

let lastOctet = 0;
/** Each test signs in from its own address, so per-IP limits of one test never touch another. */
const freshRequest = () => ({ ip: `192.0.2.${++lastOctet}`, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' });

async function newClientUser(): Promise<User> {
	const client = await newClient(db.em());
	return newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner', password: PASSWORD, email: `totp-${uniqueSuffix()}@example.test` });
}

async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got ${String(error)}`);
	return error;
}

const fieldErrorsOf = (error: TRPCError) => (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors;

/** The code an authenticator app would show for `key`, `steps` periods from now. */
const codeAt = (key: Uint8Array, steps = 0) => generateHOTP(key, BigInt(Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS) + steps), 6);

/** Enrols through the API as the user (a session of their own), returning the key and recovery codes. */
async function enrol(user: User) {
	const caller = callerFor(db.em(), await actorFor(db.em(), user), { request: freshRequest() });
	const started = await caller.authentication.meStartTotp();
	const key = decodeBase32IgnorePadding(started.secret);
	const { recoveryCodes } = await caller.authentication.meConfirmTotp({ code: generateTOTP(key, TOTP_PERIOD_SECONDS, 6) });
	return { key, recoveryCodes, started };
}

async function passwordStep(user: User, request = freshRequest()) {
	const cookies = new MemoryCookieJar();
	const caller = callerFor(db.em(), null, { cookies, request });
	const outcome = await caller.auth.signIn({ email: user.email, password: PASSWORD });
	return { outcome, caller, cookies };
}

describe('TOTP two-factor', () => {
	it('enrols with a QR code and secret, stores the secret encrypted and confirms with a first code', async () => {
		const user = await newClientUser();
		const caller = callerFor(db.em(), await actorFor(db.em(), user), { request: freshRequest() });
		const started = await caller.authentication.meStartTotp();
		expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(started.uri).toContain('otpauth://totp/');
		expect(started.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
		expect(Buffer.from(started.qrCode.split(',')[1], 'base64').toString()).toContain('<svg');

		const row = await db.em().findOneOrFail(UserTotpSchema, { userId: user.id });
		expect(row.confirmedAt).toBeNull();
		expect(row.secretEncrypted).not.toContain(started.secret);
		const key = decodeBase32IgnorePadding(started.secret);
		expect(decryptSecret(row.secretEncrypted)).toEqual(key);
		// Not required at sign-in until confirmed.
		expect((await passwordStep(user)).outcome.needsTotp).toBe(false);

		const wrong = await failureOf(caller.authentication.meConfirmTotp({ code: codeAt(key, 5) }));
		expect(wrong.code).toBe('BAD_REQUEST');
		expect(fieldErrorsOf(wrong)?.code?.[0]).toMatch(/not right/);
		expect((await db.em().findOneOrFail(UserTotpSchema, { userId: user.id }, { refresh: true })).confirmedAt).toBeNull();

		const { recoveryCodes } = await caller.authentication.meConfirmTotp({ code: codeAt(key) });
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		const stored: Record<string, unknown>[] = await db.em().getConnection().execute('select * from totp_recovery_code where user_id = ?', [user.id]);
		expect(stored).toHaveLength(10);
		const dump = JSON.stringify(stored);
		for (const code of recoveryCodes) expect(dump).not.toContain(code.replace('-', ''));

		const me = await caller.authentication.me();
		expect(me.totp).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
		expect(JSON.stringify(me)).not.toContain(started.secret);
		expect(await db.em().count(ActivitySchema, { targetId: user.id, action: 'auth.totp_enabled' })).toBe(1);
	});

	it('once enrolled, the password step asks for the code and only the right code opens a session', async () => {
		const user = await newClientUser();
		const { key } = await enrol(user);
		const { outcome, caller, cookies } = await passwordStep(user);
		expect(outcome).toEqual({ needsTotp: true, challengeId: expect.stringMatching(/^[a-z2-7]{32}$/) });
		expect(cookies.get(SESSION_COOKIE)).toBeUndefined();
		if (!outcome.needsTotp) throw new Error('unreachable');

		const wrong = await failureOf(caller.auth.signInWithCode({ challengeId: outcome.challengeId, code: codeAt(key, 10) }));
		expect(wrong.code).toBe('BAD_REQUEST');
		expect(fieldErrorsOf(wrong)?.code).toBeDefined();
		expect(cookies.get(SESSION_COOKIE)).toBeUndefined();
		expect(await db.em().count(LoginAttemptSchema, { userId: user.id, reason: 'bad_second_factor' })).toBe(1);

		// The confirm step used the current time step; the drift window still accepts the next one.
		const signedIn = await caller.auth.signInWithCode({ challengeId: outcome.challengeId, code: codeAt(key, 1) });
		expect(signedIn).toMatchObject({ kind: 'client', usedRecoveryCode: false });
		expect(cookies.get(SESSION_COOKIE)).toMatch(/^[a-z2-7]{32}$/);

		// The challenge is single use, and the same code cannot be replayed on a new challenge.
		expect((await failureOf(caller.auth.signInWithCode({ challengeId: outcome.challengeId, code: codeAt(key, 1) }))).code).toBe('UNAUTHORIZED');
		const again = await passwordStep(user);
		if (!again.outcome.needsTotp) throw new Error('expected a challenge');
		const replay = await failureOf(again.caller.auth.signInWithCode({ challengeId: again.outcome.challengeId, code: codeAt(key, 1) }));
		expect(fieldErrorsOf(replay)?.code?.[0]).toMatch(/already used/);
	});

	it('refuses an expired challenge', async () => {
		const user = await newClientUser();
		const { key } = await enrol(user);
		const { outcome, caller } = await passwordStep(user);
		if (!outcome.needsTotp) throw new Error('expected a challenge');
		await db.em().getConnection().execute(`update sign_in_challenge set expires_at = now() - interval '1 second' where user_id = ?`, [user.id]);
		const error = await failureOf(caller.auth.signInWithCode({ challengeId: outcome.challengeId, code: codeAt(key, -1) }));
		expect(error.code).toBe('UNAUTHORIZED');
		expect(error.message).toMatch(/expired/);
	});

	it('accepts each recovery code once', async () => {
		const user = await newClientUser();
		const { recoveryCodes } = await enrol(user);
		const first = await passwordStep(user);
		if (!first.outcome.needsTotp) throw new Error('expected a challenge');
		const used = await first.caller.auth.signInWithCode({ challengeId: first.outcome.challengeId, code: recoveryCodes[3].toUpperCase() });
		expect(used.usedRecoveryCode).toBe(true);
		expect(await db.em().count(TotpRecoveryCodeSchema, { userId: user.id, usedAt: null })).toBe(9);

		const second = await passwordStep(user);
		if (!second.outcome.needsTotp) throw new Error('expected a challenge');
		const reused = await failureOf(second.caller.auth.signInWithCode({ challengeId: second.outcome.challengeId, code: recoveryCodes[3] }));
		expect(reused.code).toBe('BAD_REQUEST');
		expect(second.cookies.get(SESSION_COOKIE)).toBeUndefined();
	});

	it('locks the account after five wrong codes in a row, like wrong passwords', async () => {
		const user = await newClientUser();
		const { key } = await enrol(user);
		const messages: string[] = [];
		for (let round = 0; round < 5; round++) {
			const step = await passwordStep(user);
			if (!step.outcome.needsTotp) throw new Error('expected a challenge');
			messages.push((await failureOf(step.caller.auth.signInWithCode({ challengeId: step.outcome.challengeId, code: codeAt(key, 20 + round) }))).message);
		}
		expect(messages.at(-1)).toMatch(/locked/);
		expect((await failureOf(passwordStep(user))).message).toMatch(/locked/);
	});

	it('staff reset two-factor with a reason (staff-only activity); the user signs in with the password alone again', async () => {
		const user = await newClientUser();
		await enrol(user);
		const staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin' }));
		const staffCaller = callerFor(db.em(), staff);
		const noReason = await failureOf(staffCaller.authentication.resetTotp({ clientId: user.clientId!, userId: user.id, reason: ' ' }));
		expect(noReason.code).toBe('BAD_REQUEST');
		await staffCaller.authentication.resetTotp({ clientId: user.clientId!, userId: user.id, reason: 'Lost phone, identity checked by call-back' });
		expect(await db.em().count(UserTotpSchema, { userId: user.id })).toBe(0);
		expect(await db.em().count(TotpRecoveryCodeSchema, { userId: user.id })).toBe(0);
		const activity = await db.em().findOneOrFail(ActivitySchema, { targetId: user.id, action: 'auth.totp_reset' });
		expect(activity.staffOnly).toBe(true);
		expect(activity.after).toEqual({ reason: 'Lost phone, identity checked by call-back' });
		expect((await passwordStep(user)).outcome.needsTotp).toBe(false);

		// A client user (even an owner) cannot reset anyone's two-factor.
		const owner = callerFor(db.em(), await actorFor(db.em(), user));
		expect((await failureOf(owner.authentication.resetTotp({ clientId: user.clientId!, userId: user.id, reason: 'please' }))).code).toBe('NOT_FOUND');
	});

	it('the user turns two-factor off with their password', async () => {
		const user = await newClientUser();
		await enrol(user);
		const caller = callerFor(db.em(), await actorFor(db.em(), user), { request: freshRequest() });
		const wrong = await failureOf(caller.authentication.meDisableTotp({ password: 'not it' }));
		expect(fieldErrorsOf(wrong)?.password).toBeDefined();
		await caller.authentication.meDisableTotp({ password: PASSWORD });
		expect((await caller.authentication.me()).totp.enabled).toBe(false);
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBeGreaterThanOrEqual(0);
	});

	it('limits code guesses per user, whatever the IP', async () => {
		const user = await newClientUser();
		const actor = await actorFor(db.em(), user);
		const started = await callerFor(db.em(), actor, { request: freshRequest() }).authentication.meStartTotp();
		const key = decodeBase32IgnorePadding(started.secret);
		const codes: string[] = [];
		for (let guess = 0; guess < 11; guess++) {
			// A new address each time: only the per-user limit can stop this.
			const caller = callerFor(db.em(), { ...actor, ip: freshRequest().ip }, { request: freshRequest() });
			codes.push((await failureOf(caller.authentication.meConfirmTotp({ code: codeAt(key, 100 + guess) }))).code);
		}
		expect(codes.slice(0, 10).every((code) => code === 'BAD_REQUEST')).toBe(true);
		expect(codes[10]).toBe('TOO_MANY_REQUESTS');
		// Even the right code waits out the window.
		const right = await failureOf(callerFor(db.em(), actor, { request: freshRequest() }).authentication.meConfirmTotp({ code: codeAt(key) }));
		expect(right.code).toBe('TOO_MANY_REQUESTS');
	});
});
