import type { Permission } from './permissions';

/** Who is acting, as every service sees it: a signed-in user (maybe impersonated) or the system. */
export interface Actor {
	kind: 'staff' | 'client' | 'system';
	userId: string | null;
	name: string;
	email: string | null;
	/** The client a client user belongs to; null for staff and the system. */
	clientId: string | null;
	roleName: string;
	permissions: ReadonlySet<Permission>;
	impersonator: { userId: string; name: string } | null;
	sessionId: string | null;
	ip: string | null;
	userAgent: string | null;
}

export function systemActor(name = 'System'): Actor {
	return {
		kind: 'system',
		userId: null,
		name,
		email: null,
		clientId: null,
		roleName: 'System',
		permissions: new Set(),
		impersonator: null,
		sessionId: null,
		ip: null,
		userAgent: null
	};
}

export function can(actor: Actor, permission: Permission): boolean {
	return actor.kind === 'system' || actor.permissions.has(permission);
}

/** Tenant rule: staff with `clients.read` reach every client; a client user only its own. */
export function canReachClient(actor: Actor, clientId: string): boolean {
	if (actor.kind === 'system') return true;
	if (actor.kind === 'staff') return actor.permissions.has('clients.read');
	return actor.clientId === clientId;
}
