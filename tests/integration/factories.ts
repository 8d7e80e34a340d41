import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes, randomUUID } from 'node:crypto';
import { ClientSchema, type Client } from '../../server/modules/clients/client.entity';
import { RoleSchema } from '../../server/modules/access/role.entity';
import { UserSchema, type User, type UserKind } from '../../server/modules/access/user.entity';
import { hashPassword } from '../../server/auth/password';
import { actorForUser } from '../../server/auth/actor-for-user';
import type { Actor } from '../../server/auth/actor';
import type { Permission } from '../../server/auth/permissions';
import type { LoginGuard } from '../../server/auth/login-guard';
import { createMailer, type Mailer } from '../../server/modules/mail/mailer';
import { appRouter } from '../../server/trpc/root.router';
import type { Context, CookieJar, RequestMeta } from '../../server/trpc/context';
import { loginGuardFor } from './test-database';

/** Short random text, so every factory row is unique within a test database. */
export const uniqueSuffix = () => randomBytes(4).toString('hex');

export const TEST_REQUEST: RequestMeta = { ip: '203.0.113.10', userAgent: 'vitest integration' };

export async function newClient(em: EntityManager, overrides: Partial<Client> = {}): Promise<Client> {
	const suffix = uniqueSuffix();
	const now = new Date();
	const client = em.create(ClientSchema, {
		id: randomUUID(),
		name: `Client ${suffix}`,
		email: `client-${suffix}@example.test`,
		company: null,
		type: 'organization',
		billingType: 'prepaid',
		currency: 'EUR',
		status: 'active',
		statusReason: null,
		createdAt: now,
		updatedAt: now,
		...overrides
	});
	await em.flush();
	return client;
}

interface NewUserOptions {
	kind: UserKind;
	/** Required for client users. */
	clientId?: string;
	/** A built-in role (`owner`, `super_admin`, `support_agent`, ...) ... */
	roleKey?: string;
	/** ... or a custom role holding exactly these permissions. */
	permissions?: readonly Permission[];
	password?: string;
	email?: string;
	name?: string;
	active?: boolean;
	blockedAt?: Date | null;
}

async function roleFor(em: EntityManager, options: NewUserOptions): Promise<string> {
	if (options.roleKey) return (await em.findOneOrFail(RoleSchema, { builtInKey: options.roleKey })).id;
	if (!options.permissions) throw new Error('newUser needs a roleKey or permissions.');
	const role = em.create(RoleSchema, {
		id: randomUUID(),
		builtInKey: null,
		audience: options.kind,
		clientId: options.kind === 'client' ? options.clientId : null,
		name: `Role ${uniqueSuffix()}`,
		description: '',
		permissions: [...options.permissions],
		createdAt: new Date()
	});
	await em.flush();
	return role.id;
}

export async function newUser(em: EntityManager, options: NewUserOptions): Promise<User> {
	if (options.kind === 'client' && !options.clientId) throw new Error('A client user needs a clientId.');
	const suffix = uniqueSuffix();
	const user = em.create(UserSchema, {
		id: randomUUID(),
		kind: options.kind,
		clientId: options.kind === 'client' ? options.clientId : null,
		roleId: await roleFor(em, options),
		email: options.email ?? `user-${suffix}@example.test`,
		name: options.name ?? `User ${suffix}`,
		passwordHash: options.password ? await hashPassword(options.password) : null,
		active: options.active ?? true,
		blockedAt: options.blockedAt ?? null,
		createdAt: new Date()
	});
	await em.flush();
	return user;
}

export function actorFor(em: EntityManager, user: User): Promise<Actor> {
	return actorForUser(em, user, TEST_REQUEST);
}

/** The cookies a browser would hold, in memory. */
export class MemoryCookieJar implements CookieJar {
	readonly values = new Map<string, string>();
	get(name: string) {
		return this.values.get(name);
	}
	set(name: string, value: string) {
		this.values.set(name, value);
	}
	delete(name: string) {
		this.values.delete(name);
	}
}

interface CallerOptions {
	cookies?: CookieJar;
	sessionToken?: string | null;
	request?: RequestMeta;
	loginGuard?: LoginGuard;
	/** Defaults to a mailer without SMTP: messages are recorded in mail_message, nothing is sent. */
	mailer?: Mailer;
}

export const TEST_APP_URL = 'http://localhost:3000';
const storingMailer = createMailer({ smtpUrl: null, from: 'no-reply@console.test', appUrl: TEST_APP_URL, log: () => {} });

export function contextFor(em: EntityManager, actor: Actor | null, options: CallerOptions = {}): Context {
	return {
		em,
		actor,
		sessionToken: options.sessionToken ?? null,
		cookies: options.cookies ?? new MemoryCookieJar(),
		request: options.request ?? TEST_REQUEST,
		deps: { loginGuard: options.loginGuard ?? loginGuardFor(em), mailer: options.mailer ?? storingMailer, appUrl: TEST_APP_URL }
	};
}

/** Calls procedures in-process as `actor` (null: signed out), through every middleware. */
export function callerFor(em: EntityManager, actor: Actor | null, options: CallerOptions = {}) {
	return appRouter.createCaller(contextFor(em, actor, options));
}
