import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor';
import { AppError, fieldError } from '../../errors';
import { PERMISSION_CATALOGUE } from '../../auth/permissions';
import { RoleSchema, type Role } from './role.entity';
import { UserSchema } from './user.entity';

/**
 * The rules that keep a client's users from escalating or locking the account out. They live in
 * the services, so the API enforces them whatever the page shows.
 */

const LABELS: Record<string, string> = Object.fromEntries(
	Object.values(PERMISSION_CATALOGUE).flatMap((area) => Object.entries(area.permissions).map(([key, definition]) => [key, definition.label]))
);
export const permissionLabel = (key: string) => LABELS[key] ?? key;

/** Permissions in `wanted` the actor does not hold itself. Staff and the system hold them all for this purpose. */
export function permissionsBeyond(actor: Actor, wanted: Iterable<string>): string[] {
	if (actor.kind !== 'client') return [];
	return [...new Set(wanted)].filter((permission) => !(actor.permissions as ReadonlySet<string>).has(permission));
}

/** A client user may give (to a role, or to a user through a role) only permissions it holds itself. */
export function assertMayGrant(actor: Actor, permissions: Iterable<string>, field: string): void {
	const beyond = permissionsBeyond(actor, permissions);
	if (beyond.length) {
		throw fieldError(field, `You cannot give permissions you do not hold yourself: ${beyond.map(permissionLabel).join(', ')}.`);
	}
}

/** A client user may change only users whose permissions it holds all of (an accountant cannot deactivate the owner). */
export function assertMayManage(actor: Actor, targetRole: Role): void {
	if (permissionsBeyond(actor, targetRole.permissions).length) {
		throw new AppError('BAD_REQUEST', 'You cannot change a user who holds permissions you do not hold yourself.');
	}
}

export async function ownerRole(em: EntityManager): Promise<Role> {
	return em.findOneOrFail(RoleSchema, { builtInKey: 'owner' });
}

/** A role a user of this client may be given: the built-in Owner or one of the client's own roles; null otherwise. */
export async function assignableRole(em: EntityManager, clientId: string, roleId: string): Promise<Role | null> {
	const role = await em.findOne(RoleSchema, { id: roleId });
	if (!role) return null;
	if (role.builtInKey === 'owner' || (role.clientId === clientId && role.audience === 'client')) return role;
	return null;
}

/**
 * Inside the change's transaction: fails unless the client keeps at least one active, unblocked
 * Owner besides `userId`. The client row is locked first, so two owners demoting each other at
 * the same moment cannot both pass.
 */
export async function assertAnotherActiveOwner(tx: EntityManager, clientId: string, userId: string, message: string): Promise<void> {
	await tx.execute('select id from client where id = ? for update', [clientId]);
	const owner = await ownerRole(tx);
	const others = await tx.count(UserSchema, { clientId, roleId: owner.id, active: true, blockedAt: null, id: { $ne: userId } });
	if (!others) throw new AppError('BAD_REQUEST', message);
}
