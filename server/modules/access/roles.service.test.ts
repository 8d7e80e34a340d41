import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newUser } from '../../../tests/integration/factories';
import { CLIENT_GRANTABLE_PERMISSIONS } from '../../auth/permissions';
import { RoleSchema } from './role.entity';
import { ActivitySchema } from '../activity/activity.entity';
import { CLIENT_ROLE_CATALOGUE } from './roles.catalogue';
import { accountWithOwner, failureOf, fieldErrorsOf, subUser } from './users.test-support';

const db = await useTestDatabase();

describe('custom roles', () => {
	it('are built from the client-grantable catalogue, grouped by area with human labels', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const role = await asOwner().roles.create({
			clientId: client.id,
			name: 'Accountant',
			description: 'Pays the bills',
			permissions: ['invoices.read', 'invoices.pay', 'transactions.read', 'summary.read']
		});
		expect(role.permissions).toEqual([
			{ area: 'summary', label: 'Summary', permissions: [{ key: 'summary.read', label: 'See the account summary' }] },
			{ area: 'invoices', label: 'Invoices', permissions: [{ key: 'invoices.read', label: 'See and download invoices' }, { key: 'invoices.pay', label: 'Pay invoices and apply credit' }] },
			{ area: 'transactions', label: 'Transactions', permissions: [{ key: 'transactions.read', label: 'See transactions' }] }
		]);
		const overview = await asOwner().users.overview({ clientId: client.id });
		expect(overview.roles.map((each) => each.name)).toEqual(['Owner', 'Accountant']);
		expect(overview.roles[0]).toMatchObject({ builtIn: true, userCount: 1 });
		// The catalogue offered to the page holds no staff-only permission and misses no grantable one.
		const offered = overview.catalogue.flatMap((group) => group.permissions.map((permission) => permission.key));
		expect(offered.sort()).toEqual([...CLIENT_GRANTABLE_PERMISSIONS].sort());
		expect(CLIENT_ROLE_CATALOGUE.map((group) => group.area)).not.toContain('platform');
		const activity = await db.em().find(ActivitySchema, { clientId: client.id, action: 'role.created' });
		expect(activity).toHaveLength(1);
	});

	it('refuse an unknown permission and a staff-only one with a field error, writing nothing', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const unknown = await failureOf(asOwner().roles.create({ clientId: client.id, name: 'Hacker', permissions: ['summary.read', 'root.everything'] }));
		expect(fieldErrorsOf(unknown).permissions).toEqual(['Unknown permission: root.everything.']);
		const staffOnly = await failureOf(asOwner().roles.create({ clientId: client.id, name: 'Fake staff', permissions: ['summary.read', 'invoices.manage'] }));
		expect(fieldErrorsOf(staffOnly).permissions?.[0]).toMatch(/Only staff can hold: Issue, void and refund invoices/);
		const none = await failureOf(asOwner().roles.create({ clientId: client.id, name: 'Empty', permissions: [] }));
		expect(fieldErrorsOf(none).permissions).toEqual(['Choose at least one permission.']);
		expect(await db.em().count(RoleSchema, { clientId: client.id })).toBe(0);
	});

	it('have names unique per client (case-insensitive) and never "Owner"', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const other = await accountWithOwner(db.em());
		await asOwner().roles.create({ clientId: client.id, name: 'Support', permissions: ['tickets.read'] });
		await other.asOwner().roles.create({ clientId: other.client.id, name: 'Support', permissions: ['tickets.read'] });
		const duplicate = await failureOf(asOwner().roles.create({ clientId: client.id, name: 'SUPPORT', permissions: ['tickets.read'] }));
		expect(fieldErrorsOf(duplicate).name).toEqual(['This account already has a role with this name.']);
		const owner = await failureOf(asOwner().roles.create({ clientId: client.id, name: 'owner', permissions: ['tickets.read'] }));
		expect(fieldErrorsOf(owner).name?.[0]).toMatch(/built-in role/);
	});

	it('in use cannot be deleted; unused ones can; the built-in Owner cannot be edited', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const role = await asOwner().roles.create({ clientId: client.id, name: 'Viewer', permissions: ['summary.read'] });
		const holder = await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' });
		await asOwner().users.assignRole({ clientId: client.id, userId: holder.id, roleId: role.id });
		const inUse = await failureOf(asOwner().roles.delete({ clientId: client.id, roleId: role.id }));
		expect(inUse.code).toBe('CONFLICT');
		expect(inUse.message).toBe('The role Viewer is in use by 1 user. Give them another role first.');
		expect(await db.em().count(RoleSchema, { id: role.id })).toBe(1);

		const unused = await asOwner().roles.create({ clientId: client.id, name: 'Temp', permissions: ['summary.read'] });
		await asOwner().roles.delete({ clientId: client.id, roleId: unused.id });
		expect(await db.em().count(RoleSchema, { id: unused.id })).toBe(0);

		const ownerRole = await db.em().findOneOrFail(RoleSchema, { builtInKey: 'owner' });
		const builtIn = await failureOf(asOwner().roles.update({ clientId: client.id, roleId: ownerRole.id, name: 'Boss', permissions: ['summary.read'] }));
		expect(builtIn.message).toBe('Owner is a built-in role and cannot be changed.');
	});

	it('a change applies to every holder at once: their sockets are re-checked and their pages told', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const role = await asOwner().roles.create({ clientId: client.id, name: 'Viewer', permissions: ['summary.read'] });
		const holder = await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' });
		await asOwner().users.assignRole({ clientId: client.id, userId: holder.id, roleId: role.id });
		await asOwner().roles.update({ clientId: client.id, roleId: role.id, name: 'Viewer', description: '', permissions: ['summary.read', 'users.read'] });

		const fresh = await actorFor(db.em(), await db.em().findOneOrFail((await import('./user.entity')).UserSchema, { id: holder.id }));
		expect([...fresh.permissions].sort()).toEqual(['summary.read', 'users.read']);
		const events: { event: string; rooms: string[]; payload: Record<string, unknown> }[] = await db
			.em()
			.getConnection()
			.execute(`select event, rooms, payload from outbox where event in ('access.changed', 'session.permissions_changed') order by id desc limit 2`);
		expect(events.map((row) => row.event).sort()).toEqual(['access.changed', 'session.permissions_changed']);
		expect(events.find((row) => row.event === 'session.permissions_changed')?.rooms).toEqual([`user:${holder.id}`]);
		expect(events.find((row) => row.event === 'access.changed')?.payload).toEqual({ userIds: [holder.id] });
	});
});

describe('privilege escalation through roles', () => {
	it('a users.manage holder without roles.manage cannot create or edit roles', async () => {
		const { client } = await accountWithOwner(db.em());
		const manager = await subUser(db.em(), client.id, ['summary.read', 'users.read', 'users.manage']);
		const error = await failureOf(manager.caller().roles.create({ clientId: client.id, name: 'Mine', permissions: ['summary.read'] }));
		expect(error.code).toBe('NOT_FOUND');
		expect(await db.em().count(RoleSchema, { clientId: client.id, name: 'Mine' })).toBe(0);
	});

	it('a role editor can include only permissions it holds itself, also in its own role', async () => {
		const { client } = await accountWithOwner(db.em());
		const editor = await subUser(db.em(), client.id, ['summary.read', 'users.read', 'roles.manage']);
		const wider = await failureOf(editor.caller().roles.create({ clientId: client.id, name: 'Wider', permissions: ['summary.read', 'invoices.pay'] }));
		expect(fieldErrorsOf(wider).permissions).toEqual(['You cannot give permissions you do not hold yourself: Pay invoices and apply credit.']);
		const ownRole = await failureOf(
			editor.caller().roles.update({ clientId: client.id, roleId: editor.user.roleId, name: 'Self', permissions: ['summary.read', 'users.read', 'roles.manage', 'users.manage'] })
		);
		expect(fieldErrorsOf(ownRole).permissions?.[0]).toMatch(/Invite, deactivate and assign roles/);
		expect((await db.em().findOneOrFail(RoleSchema, { id: editor.user.roleId })).permissions).not.toContain('users.manage');
		// Within its own permissions it may.
		await editor.caller().roles.create({ clientId: client.id, name: 'Narrow', permissions: ['summary.read'] });
	});

	it('staff are exempt: billing staff may build any client role', async () => {
		const { client } = await accountWithOwner(db.em());
		const staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin' }));
		const role = await callerFor(db.em(), staff).roles.create({ clientId: client.id, name: 'Everything', permissions: [...CLIENT_GRANTABLE_PERMISSIONS] });
		expect(role.permissionKeys).toHaveLength(CLIENT_GRANTABLE_PERMISSIONS.length);
	});
});
