import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { RoleSchema } from '../modules/access/role.entity';
import { UserSchema, type User } from '../modules/access/user.entity';
import { ClientSchema } from '../modules/clients/client.entity';
import { BUILT_IN_ROLES } from '../auth/built-in-roles';
import { hashPassword } from '../auth/password';
import { actorForUser } from '../auth/actor-for-user';
import { createClient, setClientStatus } from '../modules/clients/client.service';
import type { Permission } from '../auth/permissions';
import { seedCatalog } from '../modules/catalog/catalog.seed';

export const DEMO_PASSWORD = 'demo-password-1';

export const DEMO_LOGINS = [
	{ email: 'admin@example.com', who: 'super admin' },
	{ email: 'agent@example.com', who: 'support agent' },
	{ email: 'billing@example.com', who: 'billing staff' },
	{ email: 'noc@example.com', who: 'NOC viewer' },
	{ email: 'owner@acme.example', who: 'Acme owner' },
	{ email: 'accountant@acme.example', who: 'Acme accountant (custom role)' },
	{ email: 'owner@globex.example', who: 'Globex owner' }
] as const;

const ACCOUNTANT_PERMISSIONS: Permission[] = [
	'summary.read',
	'billing.read',
	'invoices.read',
	'invoices.pay',
	'transactions.read',
	'transactions.buy'
];

/** Built-in roles exist in every database, demo or not; created or brought up to date on start. */
export async function ensureBuiltInRoles(em: EntityManager): Promise<void> {
	for (const definition of BUILT_IN_ROLES) {
		const role = await em.findOne(RoleSchema, { builtInKey: definition.key });
		if (role) {
			role.permissions = [...definition.permissions];
			role.name = definition.name;
			role.description = definition.description;
		} else {
			em.create(RoleSchema, {
				id: randomUUID(),
				builtInKey: definition.key,
				audience: definition.audience,
				clientId: null,
				name: definition.name,
				description: definition.description,
				permissions: [...definition.permissions],
				createdAt: new Date()
			});
		}
	}
	await em.flush();
}

export async function isDatabaseEmpty(em: EntityManager): Promise<boolean> {
	return (await em.count(UserSchema, {})) === 0;
}

async function roleId(em: EntityManager, key: string) {
	return (await em.findOneOrFail(RoleSchema, { builtInKey: key })).id;
}

/** The demo provider: four staff users and three clients with some history. */
export async function seedDemo(em: EntityManager): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const staff = async (email: string, name: string, key: string) => {
		const user = em.create(UserSchema, { id: randomUUID(), kind: 'staff', clientId: null, roleId: await roleId(em, key), email, name, passwordHash, active: true, createdAt: new Date() });
		await em.flush();
		return user;
	};
	await staff('admin@example.com', 'Ada Admin', 'super_admin');
	await staff('agent@example.com', 'Sam Support', 'support_agent');
	const billing = await staff('billing@example.com', 'Bea Billing', 'billing_staff');
	await staff('noc@example.com', 'Nico NOC', 'noc_viewer');
	const billingActor = await actorForUser(em, billing, { ip: '127.0.0.1', userAgent: 'seed' });
	await seedCatalog(em, billingActor);

	const acme = await createClient(em, billingActor, {
		name: 'Acme Corporation',
		email: 'owner@acme.example',
		company: 'Acme Corporation Ltd',
		type: 'organization',
		billingType: 'postpaid',
		currency: 'EUR',
		sendWelcome: false
	});
	const globex = await createClient(em, billingActor, {
		name: 'Globex',
		email: 'owner@globex.example',
		company: 'Globex Inc.',
		type: 'organization',
		billingType: 'prepaid',
		currency: 'USD',
		sendWelcome: false
	});
	const initech = await createClient(em, billingActor, {
		name: 'Peter Gibbons',
		email: 'peter@initech.example',
		company: undefined,
		type: 'individual',
		billingType: 'manual',
		currency: 'GBP',
		sendWelcome: false
	});
	const setOwnerPassword = async (userId: string, name: string) => {
		const owner = await em.findOneOrFail(UserSchema, { id: userId });
		owner.passwordHash = passwordHash;
		owner.name = name;
	};
	await setOwnerPassword(acme.ownerUserId, 'Wile E. Coyote');
	await setOwnerPassword(globex.ownerUserId, 'Hank Scorpio');
	await setOwnerPassword(initech.ownerUserId, 'Peter Gibbons');

	const accountantRole = em.create(RoleSchema, {
		id: randomUUID(),
		builtInKey: null,
		audience: 'client',
		clientId: acme.client.id,
		name: 'Accountant',
		description: 'Billing, invoices and transactions: read and pay.',
		permissions: ACCOUNTANT_PERMISSIONS,
		createdAt: new Date()
	});
	const accountant: User = em.create(UserSchema, {
		id: randomUUID(),
		kind: 'client',
		clientId: acme.client.id,
		roleId: accountantRole.id,
		email: 'accountant@acme.example',
		name: 'Road Runner',
		passwordHash,
		active: true,
		createdAt: new Date()
	});
	await em.flush();
	void accountant;

	await setClientStatus(em, billingActor, { clientId: initech.client.id, status: 'suspended', reason: 'Invoice 2026-000031 is 30 days overdue' });
	await setClientStatus(em, billingActor, { clientId: initech.client.id, status: 'active', reason: 'Overdue balance paid by bank transfer' });
	await em.nativeUpdate(ClientSchema, { id: acme.client.id }, { createdAt: new Date(Date.now() - 400 * 24 * 3600 * 1000) });
	await em.nativeUpdate(ClientSchema, { id: globex.client.id }, { createdAt: new Date(Date.now() - 90 * 24 * 3600 * 1000) });
}
