import { TRPCError } from '@trpc/server';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionSchema } from '../modules/access/session.entity';
import { LoginAttemptSchema } from '../modules/access/login-attempt.entity';
import { SESSION_COOKIE } from '../trpc/context';
import { createLoginGuard } from './login-guard';
import { SESSION_LIFETIME_MS, validateSessionToken } from './session.service';
import { useTestDatabase } from '../../tests/integration/test-database';
import { MemoryCookieJar, callerFor, newClient, newUser, uniqueSuffix } from '../../tests/integration/factories';

const db = await useTestDatabase();
const PASSWORD = 'correct horse battery staple';
const DAY = 24 * 60 * 60 * 1000;

/** Each test signs in from its own address, so the per-IP limit of one test never touches another. */
let lastOctet = 0;
const freshRequest = () => ({ ip: `198.51.100.${++lastOctet}`, userAgent: 'vitest sign-in' });

async function newSignInUser(overrides: { active?: boolean; blockedAt?: Date } = {}) {
	const em = db.em();
	const client = await newClient(em);
	return newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', password: PASSWORD, ...overrides });
}

/** Signs in through the tRPC procedure, as the login form does; returns the cookie jar. */
async function signIn(email: string, password: string, options: { request?: ReturnType<typeof freshRequest>; guard?: ReturnType<typeof createLoginGuard> } = {}) {
	const cookies = new MemoryCookieJar();
	const caller = callerFor(db.em(), null, { cookies, request: options.request ?? freshRequest(), loginGuard: options.guard });
	await caller.auth.signIn({ email, password });
	return cookies;
}

async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got ${String(error)}`);
	return error;
}

describe('sign-in', () => {
	it('with the right password opens a session whose stored id is the SHA-256 of the cookie token', async () => {
		const user = await newSignInUser();
		const cookies = await signIn(user.email.toUpperCase(), PASSWORD);
		const token = cookies.get(SESSION_COOKIE);
		expect(token).toBeTruthy();

		const stored = await db.em().find(SessionSchema, { userId: user.id });
		expect(stored).toHaveLength(1);
		expect(stored[0].id).toBe(createHash('sha256').update(token!).digest('hex'));
		expect(stored[0].id).not.toContain(token!);

		const validated = await validateSessionToken(db.em(), token!, freshRequest());
		expect(validated?.user.id).toBe(user.id);
		expect(validated?.actor.clientId).toBe(user.clientId);
	});

	it('answers a wrong password exactly like an unknown email', async () => {
		const user = await newSignInUser();
		const wrongPassword = await failureOf(signIn(user.email, 'not the password'));
		const unknownEmail = await failureOf(signIn(`nobody-${uniqueSuffix()}@example.test`, PASSWORD));
		expect(wrongPassword.code).toBe('UNAUTHORIZED');
		expect(unknownEmail.code).toBe('UNAUTHORIZED');
		expect(wrongPassword.message).toBe(unknownEmail.message);
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(0);
	});

	it('locks the account after 5 failures, refusing even the right password, and records each attempt', async () => {
		const user = await newSignInUser();
		const messages: string[] = [];
		for (let attempt = 1; attempt <= 5; attempt++) {
			messages.push((await failureOf(signIn(user.email, `wrong ${attempt}`))).message);
		}
		expect(messages.slice(0, 4).every((message) => !/locked/i.test(message))).toBe(true);
		expect(messages[4]).toMatch(/locked/i);

		const rightPassword = await failureOf(signIn(user.email, PASSWORD));
		expect(rightPassword.code).toBe('UNAUTHORIZED');
		expect(rightPassword.message).toMatch(/locked/i);
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(0);

		const attempts = await db.em().find(LoginAttemptSchema, { userId: user.id }, { orderBy: { id: 'asc' } });
		expect(attempts.map((attempt) => [attempt.succeeded, attempt.reason])).toEqual([
			...Array(5).fill([false, 'bad_password']),
			[false, 'locked']
		]);
		expect(attempts.every((attempt) => attempt.ip?.startsWith('198.51.100.'))).toBe(true);
	});

	it('refuses blocked and deactivated users even with the right password', async () => {
		const blocked = await newSignInUser({ blockedAt: new Date() });
		const deactivated = await newSignInUser({ active: false });
		const blockedError = await failureOf(signIn(blocked.email, PASSWORD));
		const deactivatedError = await failureOf(signIn(deactivated.email, PASSWORD));
		expect([blockedError.code, deactivatedError.code]).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED']);
		expect(blockedError.message).toMatch(/blocked/i);
		expect(deactivatedError.message).toMatch(/deactivated/i);
		expect(await db.em().count(SessionSchema, { userId: { $in: [blocked.id, deactivated.id] } })).toBe(0);
	});
});

describe('sign-in rate limits', () => {
	const guard = createLoginGuard(db.url, { perIp: 3, perAccount: 3 });
	afterAll(() => guard.close());

	it('answers TOO_MANY_REQUESTS past the per-account limit, whatever the address', async () => {
		const user = await newSignInUser();
		for (let attempt = 0; attempt < 3; attempt++) {
			expect((await failureOf(signIn(user.email, 'wrong', { guard }))).code).toBe('UNAUTHORIZED');
		}
		const limited = await failureOf(signIn(user.email, PASSWORD, { guard }));
		expect(limited.code).toBe('TOO_MANY_REQUESTS');
		expect(limited.message).toMatch(/too many/i);
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(0);
	});

	it('answers TOO_MANY_REQUESTS past the per-IP limit, whatever the account', async () => {
		const request = freshRequest();
		for (let attempt = 0; attempt < 3; attempt++) {
			const error = await failureOf(signIn(`nobody-${uniqueSuffix()}@example.test`, 'wrong', { guard, request }));
			expect(error.code).toBe('UNAUTHORIZED');
		}
		const user = await newSignInUser();
		expect((await failureOf(signIn(user.email, PASSWORD, { guard, request }))).code).toBe('TOO_MANY_REQUESTS');
	});

	it('holds the production limit of 10 attempts per account', async () => {
		const user = await newSignInUser();
		const codes: string[] = [];
		for (let attempt = 0; attempt < 11; attempt++) {
			codes.push((await failureOf(signIn(user.email, 'wrong'))).code);
		}
		expect(codes.slice(0, 10).every((code) => code === 'UNAUTHORIZED')).toBe(true);
		expect(codes[10]).toBe('TOO_MANY_REQUESTS');
	});
});

describe('sessions', () => {
	it('slide: a session used past half its life is renewed to a full lifetime', async () => {
		const user = await newSignInUser();
		const token = (await signIn(user.email, PASSWORD)).get(SESSION_COOKIE)!;
		const sessionId = createHash('sha256').update(token).digest('hex');
		const nearExpiry = new Date(Date.now() + 10 * DAY);
		await db.em().nativeUpdate(SessionSchema, { id: sessionId }, { expiresAt: nearExpiry });

		const validated = await validateSessionToken(db.em(), token, freshRequest());
		expect(validated?.user.id).toBe(user.id);
		const renewed = await db.em().findOneOrFail(SessionSchema, { id: sessionId });
		expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS - DAY);
	});

	it('are left alone while in the first half of their life, and refused once expired', async () => {
		const user = await newSignInUser();
		const token = (await signIn(user.email, PASSWORD)).get(SESSION_COOKIE)!;
		const sessionId = createHash('sha256').update(token).digest('hex');
		const fresh = new Date(Date.now() + 20 * DAY);
		await db.em().nativeUpdate(SessionSchema, { id: sessionId }, { expiresAt: fresh });
		await validateSessionToken(db.em(), token, freshRequest());
		expect((await db.em().findOneOrFail(SessionSchema, { id: sessionId })).expiresAt.getTime()).toBe(fresh.getTime());

		await db.em().nativeUpdate(SessionSchema, { id: sessionId }, { expiresAt: new Date(Date.now() - 1000) });
		expect(await validateSessionToken(db.em(), token, freshRequest())).toBeNull();
		expect(await db.em().count(SessionSchema, { id: sessionId })).toBe(0);
	});

	it('end with sign-out: the token stops working and the cookie is cleared', async () => {
		const user = await newSignInUser();
		const cookies = await signIn(user.email, PASSWORD);
		const token = cookies.get(SESSION_COOKIE)!;
		const validated = await validateSessionToken(db.em(), token, freshRequest());
		expect(validated).not.toBeNull();

		await callerFor(db.em(), validated!.actor, { cookies, sessionToken: token }).auth.signOut();
		expect(cookies.get(SESSION_COOKIE)).toBeUndefined();
		expect(await validateSessionToken(db.em(), token, freshRequest())).toBeNull();
	});
});
