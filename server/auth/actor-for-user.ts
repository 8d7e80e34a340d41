import type { EntityManager } from '@mikro-orm/postgresql';
import { RoleSchema } from '../modules/access/role.entity';
import type { User } from '../modules/access/user.entity';
import { isPermission, type Permission } from './permissions';
import type { Actor } from './actor';

/** Builds the actor of a user outside a request (seed, jobs, tests). */
export async function actorForUser(
	em: EntityManager,
	user: User,
	request: { ip?: string | null; userAgent?: string | null } = {}
): Promise<Actor> {
	const role = await em.findOneOrFail(RoleSchema, { id: user.roleId });
	return {
		kind: user.kind,
		userId: user.id,
		name: user.name,
		email: user.email,
		clientId: user.clientId ?? null,
		roleName: role.name,
		permissions: new Set<Permission>(role.permissions.filter(isPermission)),
		impersonator: null,
		sessionId: null,
		ip: request.ip ?? null,
		userAgent: request.userAgent ?? null
	};
}
