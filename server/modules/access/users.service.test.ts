import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newUser, uniqueSuffix } from '../../../tests/integration/factories';
import { eventually, liveClientFor, startLiveServer } from '../../../tests/integration/live-client';
import { LoginAttemptSchema } from './login-attempt.entity';
import { RoleSchema } from './role.entity';
import { SessionSchema } from './session.entity';
import { UserSchema } from './user.entity';
import { InvitationSchema } from './invitation.entity';
import { createSession } from '../../auth/session.service';
import { accountWithOwner, failureOf, fieldErrorsOf, subUser } from './users.test-support';

const db = await useTestDatabase();
let server: Awaited<ReturnType<typeof startLiveServer>>;

beforeAll(async () => {
	server = await startLiveServer(db.orm, db.url);
});
afterAll(async () => {
	await server?.close();
});

const ownerRoleId = async () => (await db.em().findOneOrFail(RoleSchema, { builtInKey: 'owner' })).id;

describe('the users list', () => {
	it('shows each user’s role, status and last sign-in, oldest first, in keyset pages', async () => {
		const { client, owner, asOwner } = await accountWithOwner(db.em());
		const em = db.em();
		const deactivated = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', active: false, password: 'x-long-password-1' });
		const blocked = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', blockedAt: new Date(), password: 'x-long-password-1' });
		const signedIn = await newUser(em, { kind: 'client', clientId: client.id, permissions: ['summary.read'], password: 'x-long-password-1' });
		const at = new Date('2026-11-20T10:00:00Z');
		em.create(LoginAttemptSchema, { email: signedIn.email, userId: signedIn.id, succeeded: true, reason: 'ok', ip: null, userAgent: null, createdAt: at });
		em.create(LoginAttemptSchema, { email: signedIn.email, userId: signedIn.id, succeeded: false, reason: 'bad_password', ip: null, userAgent: null, createdAt: new Date() });
		await em.flush();

		const { users, nextCursor } = await asOwner().users.overview({ clientId: client.id });
		expect(nextCursor).toBeNull();
		expect(users.map((user) => [user.id, user.status])).toEqual([
			[owner.id, 'invited'],
			[deactivated.id, 'deactivated'],
			[blocked.id, 'blocked'],
			[signedIn.id, 'active']
		]);
		expect(users[0]).toMatchObject({ roleName: 'Owner', isOwner: true, lastSignInAt: null });
		expect(users[3].lastSignInAt?.toISOString()).toBe(at.toISOString());
	});

	it('pages through more than one page without repeats or gaps', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		for (let index = 0; index < 52; index++) await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' });
		const first = await asOwner().users.overview({ clientId: client.id });
		expect(first.users).toHaveLength(50);
		const second = await asOwner().users.overview({ clientId: client.id, cursor: first.nextCursor ?? undefined });
		expect(second.users).toHaveLength(3);
		expect(second.nextCursor).toBeNull();
		expect(new Set([...first.users, ...second.users].map((user) => user.id)).size).toBe(53);
		expect((await failureOf(asOwner().users.overview({ clientId: client.id, cursor: 'garbage' }))).code).toBe('BAD_REQUEST');
	});

	it('shows a user’s effective permissions grouped by area', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const accountant = await subUser(db.em(), client.id, ['invoices.read', 'summary.read']);
		const { user } = await asOwner().users.get({ clientId: client.id, userId: accountant.user.id });
		expect(user.permissions.map((group) => [group.label, group.permissions.map((permission) => permission.label)])).toEqual([
			['Summary', ['See the account summary']],
			['Invoices', ['See and download invoices']]
		]);
	});
});

describe('the owner cannot lock the account out', () => {
	it('cannot deactivate or demote themselves', async () => {
		const { client, owner, asOwner } = await accountWithOwner(db.em());
		const viewer = await asOwner().roles.create({ clientId: client.id, name: 'Viewer', permissions: ['summary.read'] });
		expect((await failureOf(asOwner().users.deactivate({ clientId: client.id, userId: owner.id }))).message).toBe('You cannot deactivate yourself.');
		const demote = await failureOf(asOwner().users.assignRole({ clientId: client.id, userId: owner.id, roleId: viewer.id }));
		expect(fieldErrorsOf(demote).roleId?.[0]).toMatch(/cannot change your own role/);
		expect(await db.em().findOneOrFail(UserSchema, { id: owner.id })).toMatchObject({ active: true, roleId: await ownerRoleId() });
	});

	it('the last active Owner stays: not even staff can deactivate or demote them, but with a second Owner they can', async () => {
		const { client, owner } = await accountWithOwner(db.em());
		const staff = callerFor(db.em(), await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin' })));
		const viewer = await staff.roles.create({ clientId: client.id, name: 'Viewer', permissions: ['summary.read'] });
		// A deactivated second owner does not count.
		const dormant = await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner', active: false });
		expect((await failureOf(staff.users.deactivate({ clientId: client.id, userId: owner.id }))).message).toMatch(/at least one active Owner/);
		expect((await failureOf(staff.users.assignRole({ clientId: client.id, userId: owner.id, roleId: viewer.id }))).message).toMatch(/at least one active Owner/);

		await staff.users.reactivate({ clientId: client.id, userId: dormant.id });
		await staff.users.assignRole({ clientId: client.id, userId: owner.id, roleId: viewer.id });
		expect((await db.em().findOneOrFail(UserSchema, { id: owner.id })).roleId).toBe(viewer.id);
		expect((await failureOf(staff.users.deactivate({ clientId: client.id, userId: dormant.id }))).message).toMatch(/at least one active Owner/);
	});
});

describe('privilege escalation through users', () => {
	it('a sub-user cannot give itself or anyone a role beyond its own, nor change a more powerful user', async () => {
		const { client, owner, asOwner } = await accountWithOwner(db.em());
		const manager = await subUser(db.em(), client.id, ['summary.read', 'users.read', 'users.manage']);
		const peer = await subUser(db.em(), client.id, ['summary.read']);
		const ownerRole = await ownerRoleId();

		const self = await failureOf(manager.caller().users.assignRole({ clientId: client.id, userId: manager.user.id, roleId: ownerRole }));
		expect(fieldErrorsOf(self).roleId?.[0]).toMatch(/cannot change your own role/);
		const other = await failureOf(manager.caller().users.assignRole({ clientId: client.id, userId: peer.user.id, roleId: ownerRole }));
		expect(fieldErrorsOf(other).roleId?.[0]).toMatch(/You cannot give permissions you do not hold yourself/);
		const demoteOwner = await failureOf(manager.caller().users.deactivate({ clientId: client.id, userId: owner.id }));
		expect(demoteOwner.message).toBe('You cannot change a user who holds permissions you do not hold yourself.');
		expect(await db.em().findOneOrFail(UserSchema, { id: peer.user.id })).toMatchObject({ roleId: peer.user.roleId });
		expect(await db.em().findOneOrFail(UserSchema, { id: owner.id })).toMatchObject({ active: true });

		// Within its own permissions it may act.
		await manager.caller().users.deactivate({ clientId: client.id, userId: peer.user.id });
		await asOwner().users.reactivate({ clientId: client.id, userId: peer.user.id });
	});

	it('a role of another client, or a staff role, cannot be assigned', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const other = await accountWithOwner(db.em());
		const foreign = await other.asOwner().roles.create({ clientId: other.client.id, name: 'Theirs', permissions: ['summary.read'] });
		const staffRole = await db.em().findOneOrFail(RoleSchema, { builtInKey: 'super_admin' });
		const peer = await subUser(db.em(), client.id, ['summary.read']);
		for (const roleId of [foreign.id, staffRole.id]) {
			const error = await failureOf(asOwner().users.assignRole({ clientId: client.id, userId: peer.user.id, roleId }));
			expect(fieldErrorsOf(error).roleId).toEqual(['Choose one of this account’s roles.']);
		}
	});
});

describe('tenancy', () => {
	it('the users, roles and invitations of another client answer NOT_FOUND, even named with the caller’s own clientId', async () => {
		const mine = await accountWithOwner(db.em());
		const theirs = await accountWithOwner(db.em());
		const theirRole = await theirs.asOwner().roles.create({ clientId: theirs.client.id, name: 'Theirs', permissions: ['summary.read'] });
		const theirUser = await subUser(db.em(), theirs.client.id, ['summary.read']);
		const { invitationId } = await theirs.asOwner().invitations.create({ clientId: theirs.client.id, email: `t-${uniqueSuffix()}@example.test`, roleId: theirRole.id });
		const clientId = mine.client.id;
		const ownerRole = await ownerRoleId();
		const me = mine.asOwner();
		// Thunks, so each call starts only when awaited.
		const attempts = [
			() => me.users.get({ clientId, userId: theirUser.user.id }),
			() => me.users.deactivate({ clientId, userId: theirUser.user.id }),
			() => me.users.assignRole({ clientId, userId: theirUser.user.id, roleId: ownerRole }),
			() => me.roles.update({ clientId, roleId: theirRole.id, name: 'Mine now', permissions: ['summary.read'] }),
			() => me.roles.delete({ clientId, roleId: theirRole.id }),
			() => me.invitations.resend({ clientId, invitationId }),
			() => me.invitations.revoke({ clientId, invitationId }),
			() => me.users.overview({ clientId: theirs.client.id }),
			() => me.roles.create({ clientId: theirs.client.id, name: 'Planted', permissions: ['summary.read'] })
		];
		for (const attempt of attempts) expect((await failureOf(attempt())).code).toBe('NOT_FOUND');
		expect(await db.em().findOneOrFail(UserSchema, { id: theirUser.user.id })).toMatchObject({ active: true });
		expect((await db.em().findOneOrFail(RoleSchema, { id: theirRole.id })).name).toBe('Theirs');
		expect((await db.em().findOneOrFail(InvitationSchema, { id: invitationId })).revokedAt).toBeNull();
	});
});

describe('live', () => {
	it('a deactivated user is signed out everywhere and their open socket is dropped at once', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const member = await subUser(db.em(), client.id, ['summary.read']);
		await createSession(db.em(), member.user.id, { ip: null, userAgent: null });
		const live = await liveClientFor(db.em(), server.url, member.user.id);
		let ended = false;
		live.socket.on('session:ended', () => (ended = true));
		expect(await live.subscribe(`client:${client.id}`)).toMatchObject({ ok: true });

		await asOwner().users.deactivate({ clientId: client.id, userId: member.user.id });
		await eventually(() => live.socket.disconnected, 'the deactivated user’s socket to close');
		expect(ended).toBe(true);
		expect(await db.em().count(SessionSchema, { userId: member.user.id })).toBe(0);
	});

	it('a role change re-checks the user’s socket and tells their pages, and every viewer of the tab hears it', async () => {
		const { client, owner, asOwner } = await accountWithOwner(db.em());
		const member = await subUser(db.em(), client.id, ['summary.read', 'users.read']);
		const narrow = await asOwner().roles.create({ clientId: client.id, name: 'Narrow', permissions: ['billing.read'] });
		// Every role includes the workspace's Summary, so a client user never loses its client room.
		expect(narrow.permissionKeys).toEqual(['summary.read', 'billing.read']);
		const memberLive = await liveClientFor(db.em(), server.url, member.user.id);
		const ownerLive = await liveClientFor(db.em(), server.url, owner.id);
		expect(await memberLive.subscribe(`user:${member.user.id}`)).toMatchObject({ ok: true });
		expect(await memberLive.subscribe(`client:${client.id}`)).toMatchObject({ ok: true });
		expect(await ownerLive.subscribe(`client:${client.id}`)).toMatchObject({ ok: true });
		const closed: string[] = [];
		memberLive.socket.on('room:closed', (event: { room: string }) => closed.push(event.room));

		await asOwner().users.assignRole({ clientId: client.id, userId: member.user.id, roleId: narrow.id });
		await eventually(() => memberLive.events.some((event) => event.event === 'session.permissions_changed'), 'the user’s pages to be told');
		await eventually(() => ownerLive.events.some((event) => event.event === 'users.changed'), 'the Users tab viewers to hear it');
		// Re-checked, and still allowed: the socket keeps its rooms and its connection.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(closed).toEqual([]);
		expect(memberLive.socket.connected).toBe(true);
		memberLive.close();
		ownerLive.close();
	});
});
