import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionSchema } from '../modules/access/session.entity';
import { ActivitySchema } from '../modules/activity/activity.entity';
import type { User } from '../modules/access/user.entity';
import type { Client } from '../modules/clients/client.entity';
import { SESSION_COOKIE, STAFF_SESSION_COOKIE } from '../trpc/context';
import { mutate } from '../db/mutation';
import { ALL_PERMISSIONS } from './permissions';
import { createSession, validateSessionToken } from './session.service';
import { sessionIdFromToken } from './session-token';
import { useTestDatabase } from '../../tests/integration/test-database';
import { MemoryCookieJar, TEST_REQUEST, actorFor, callerFor, newClient, newUser } from '../../tests/integration/factories';

const db = await useTestDatabase();

let client: Client;
let clientUser: User;
let agent: User;

beforeAll(async () => {
	const em = db.em();
	client = await newClient(em);
	clientUser = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', name: 'Olive Owner' });
	agent = await newUser(em, { kind: 'staff', roleKey: 'support_agent', name: 'Sam Support' });
});

/** A staff member signed in the ordinary way: their session token sits in the cookie jar. */
async function signedIn(user: User) {
	const { token } = await createSession(db.em(), user.id, TEST_REQUEST);
	const cookies = new MemoryCookieJar();
	cookies.set(SESSION_COOKIE, token);
	const validated = await validateSessionToken(db.em(), token, TEST_REQUEST);
	return { token, cookies, actor: validated!.actor };
}

async function codeOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	return error instanceof TRPCError ? error.code : String(error);
}

describe('signing in as a client user', () => {
	it('gives staff with clients.impersonate a session of that user that names them, marked on the activity written meanwhile', async () => {
		const staff = await signedIn(agent);
		await callerFor(db.em(), staff.actor, { cookies: staff.cookies, sessionToken: staff.token }).auth.impersonate({
			clientId: client.id,
			userId: clientUser.id
		});
		const impersonationToken = staff.cookies.get(SESSION_COOKIE)!;
		expect(impersonationToken).not.toBe(staff.token);
		expect(staff.cookies.get(STAFF_SESSION_COOKIE)).toBe(staff.token);

		const session = await validateSessionToken(db.em(), impersonationToken, TEST_REQUEST);
		expect(session?.actor).toMatchObject({ userId: clientUser.id, kind: 'client', clientId: client.id, impersonator: { userId: agent.id, name: 'Sam Support' } });

		await mutate(db.em(), session!.actor, async () => ({
			result: null,
			activity: { clientId: client.id, action: 'profile.updated', targetType: 'user', targetId: clientUser.id, summary: 'Changed the phone number' }
		}));
		const row = await db.em().findOneOrFail(ActivitySchema, { clientId: client.id, action: 'profile.updated' });
		expect(row).toMatchObject({ actorName: 'Olive Owner', impersonatorName: 'Sam Support', impersonatorUserId: agent.id });

		const summary = await callerFor(db.em(), session!.actor).clients.summary({ clientId: client.id });
		expect(summary.activity.find((entry) => entry.action === 'profile.updated')?.impersonatorName).toBe('Sam Support');
	});

	it('ends with one call: the impersonation session is deleted and the staff session comes back', async () => {
		const staff = await signedIn(agent);
		await callerFor(db.em(), staff.actor, { cookies: staff.cookies, sessionToken: staff.token }).auth.impersonate({
			clientId: client.id,
			userId: clientUser.id
		});
		const impersonationToken = staff.cookies.get(SESSION_COOKIE)!;
		const impersonated = (await validateSessionToken(db.em(), impersonationToken, TEST_REQUEST))!.actor;

		await callerFor(db.em(), impersonated, { cookies: staff.cookies, sessionToken: impersonationToken }).auth.stopImpersonating();
		expect(await db.em().count(SessionSchema, { id: sessionIdFromToken(impersonationToken) })).toBe(0);
		expect(await validateSessionToken(db.em(), impersonationToken, TEST_REQUEST)).toBeNull();
		expect(staff.cookies.get(SESSION_COOKIE)).toBe(staff.token);
		expect(staff.cookies.get(STAFF_SESSION_COOKIE)).toBeUndefined();
		expect((await validateSessionToken(db.em(), staff.token, TEST_REQUEST))?.actor.userId).toBe(agent.id);

		const ended = await db.em().find(ActivitySchema, { clientId: client.id, action: 'impersonation.ended' });
		expect(ended.at(-1)?.impersonatorName).toBe('Sam Support');
	});

	it('answers NOT_FOUND to staff without the permission and to client users, and opens no session', async () => {
		const em = db.em();
		const billing = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'billing_staff' }));
		const noc = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'noc_viewer' }));
		const owner = await actorFor(em, clientUser);
		// Even a client user holding every permission, within its own client, may not.
		const everything = await actorFor(em, await newUser(em, { kind: 'client', clientId: client.id, permissions: ALL_PERMISSIONS }));
		const sessionsBefore = await db.em().count(SessionSchema, { userId: clientUser.id });

		for (const actor of [billing, noc, owner, everything]) {
			const code = await codeOf(callerFor(db.em(), actor).auth.impersonate({ clientId: client.id, userId: clientUser.id }));
			expect(code, actor.roleName).toBe('NOT_FOUND');
		}
		expect(await db.em().count(SessionSchema, { userId: clientUser.id })).toBe(sessionsBefore);
	});

	it('answers NOT_FOUND for a user of another client', async () => {
		const other = await newClient(db.em());
		const staff = await signedIn(agent);
		const code = await codeOf(callerFor(db.em(), staff.actor).auth.impersonate({ clientId: other.id, userId: clientUser.id }));
		expect(code).toBe('NOT_FOUND');
	});
});
