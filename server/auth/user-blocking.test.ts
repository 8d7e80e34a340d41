import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionSchema } from '../modules/access/session.entity';
import { UserSchema } from '../modules/access/user.entity';
import { ActivitySchema } from '../modules/activity/activity.entity';
import { LoginAttemptSchema } from '../modules/access/login-attempt.entity';
import { LOCKOUT_AFTER_FAILURES } from './sign-in.service';
import { useTestDatabase, type TestDatabase } from '../../tests/integration/test-database';
import { MemoryCookieJar, actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../tests/integration/factories';
import { eventually, liveClientFor, startLiveServer } from '../../tests/integration/live-client';
import type { Actor } from './actor';
import type { Client } from '../modules/clients/client.entity';

const PASSWORD = 'correct horse battery staple';
let db: TestDatabase;
let server: Awaited<ReturnType<typeof startLiveServer>>;
let client: Client;
let staff: Actor;

beforeAll(async () => {
	db = await useTestDatabase();
	client = await newClient(db.em());
	staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin' }));
	server = await startLiveServer(db.orm, db.url);
});

afterAll(async () => {
	await server?.close();
});

async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got ${String(error)}`);
	return error;
}

const newClientUser = () => newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner', password: PASSWORD, email: `block-${uniqueSuffix()}@example.test` });

let octet = 0;
async function signIn(email: string) {
	const cookies = new MemoryCookieJar();
	return callerFor(db.em(), null, { cookies, request: { ip: `198.18.0.${++octet}`, userAgent: 'vitest' } }).auth.signIn({ email, password: PASSWORD });
}

describe('blocking a user', () => {
	it('ends their sessions in the same change, drops their open socket and refuses sign-in', async () => {
		const user = await newClientUser();
		const live = await liveClientFor(db.em(), server.url, user.id);
		let ended = false;
		live.socket.on('session:ended', () => (ended = true));
		expect((await live.subscribe(`client:${client.id}`)).ok).toBe(true);

		const caller = callerFor(db.em(), staff);
		const noReason = await failureOf(caller.authentication.block({ clientId: client.id, userId: user.id, reason: '' }));
		expect(noReason.code).toBe('BAD_REQUEST');
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(1);

		await caller.authentication.block({ clientId: client.id, userId: user.id, reason: 'Chargeback fraud' });
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(0);
		await eventually(() => ended && live.socket.disconnected, 'the blocked user’s socket to be told and dropped');

		const stored = await db.em().findOneOrFail(UserSchema, { id: user.id });
		expect(stored.blockedAt).toBeInstanceOf(Date);
		expect(stored.blockedReason).toBe('Chargeback fraud');
		expect(await callerFor(db.em(), null).auth.sessionEndReason({ token: live.token })).toEqual({ reason: 'blocked' });
		const activity = await db.em().findOneOrFail(ActivitySchema, { targetId: user.id, action: 'auth.user_blocked' });
		expect(activity.after).toEqual({ blocked: true, reason: 'Chargeback fraud' });

		expect((await failureOf(signIn(user.email))).message).toMatch(/blocked/);
		expect((await failureOf(caller.authentication.block({ clientId: client.id, userId: user.id, reason: 'again' }))).code).toBe('CONFLICT');

		await caller.authentication.unblock({ clientId: client.id, userId: user.id, reason: 'Resolved with the bank' });
		expect((await signIn(user.email)).needsTotp).toBe(false);
	});

	it('lets another user of the client watch the change live on the tab', async () => {
		const user = await newClientUser();
		const colleague = await newClientUser();
		const watcher = await liveClientFor(db.em(), server.url, colleague.id);
		await watcher.subscribe(`client:${client.id}`);
		await callerFor(db.em(), staff).authentication.block({ clientId: client.id, userId: user.id, reason: 'Abuse' });
		await eventually(() => watcher.events.some((event) => event.event === 'auth.changed'), 'an auth.changed event');
		watcher.close();
	});

	it('is staff work: a client owner gets NOT_FOUND, even for their own client', async () => {
		const user = await newClientUser();
		const owner = callerFor(db.em(), await actorFor(db.em(), await newClientUser()));
		for (const call of [
			() => owner.authentication.block({ clientId: client.id, userId: user.id, reason: 'no' }),
			() => owner.authentication.unblock({ clientId: client.id, userId: user.id, reason: 'no' }),
			() => owner.authentication.unlock({ clientId: client.id, userId: user.id }),
			() => owner.authentication.sendResetLink({ clientId: client.id, userId: user.id })
		]) {
			expect((await failureOf(call())).code).toBe('NOT_FOUND');
		}
		expect((await db.em().findOneOrFail(UserSchema, { id: user.id })).blockedAt).toBeNull();
	});
});

describe('lock-out', () => {
	it('lists the failures and lets staff unlock; the next wrong password does not relock at once', async () => {
		const user = await newClientUser();
		for (let i = 0; i < LOCKOUT_AFTER_FAILURES; i++) {
			await failureOf(callerFor(db.em(), null, { request: { ip: `198.19.0.${i + 1}`, userAgent: 'vitest' } }).auth.signIn({ email: user.email, password: `wrong ${i}` }));
		}
		const caller = callerFor(db.em(), staff);
		const overview = await caller.authentication.overview({ clientId: client.id });
		expect(overview.users.find((row) => row.id === user.id)?.lockedUntil).toBeTruthy();
		const failed = await caller.authentication.failedLogins({ clientId: client.id, userId: user.id, limit: 10 });
		expect(failed.rows).toHaveLength(LOCKOUT_AFTER_FAILURES);
		expect(failed.rows[0]).toMatchObject({ reason: 'Wrong password', ip: `198.19.0.${LOCKOUT_AFTER_FAILURES}` });

		await caller.authentication.unlock({ clientId: client.id, userId: user.id });
		expect((await db.em().findOneOrFail(UserSchema, { id: user.id })).lockedUntil).toBeNull();
		expect(await db.em().count(ActivitySchema, { targetId: user.id, action: 'auth.user_unlocked' })).toBe(1);
		// Five failures are still in the window: without the unlock marker this would lock again at once.
		const wrongAgain = await failureOf(callerFor(db.em(), null, { request: { ip: '198.19.1.1', userAgent: 'vitest' } }).auth.signIn({ email: user.email, password: 'still wrong' }));
		expect(wrongAgain.message).toBe('Email or password is incorrect.');
		expect(await db.em().count(LoginAttemptSchema, { userId: user.id, reason: 'unlocked_by_staff' })).toBe(1);
	});
});
