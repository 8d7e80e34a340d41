import type { EntityManager } from '@mikro-orm/postgresql';
import { RoleSchema } from '../access/role.entity';
import type { User } from '../access/user.entity';
import { assertAllowed } from './disciplinary-enforcement';

/** True for the client's owner (built-in Owner role); every other client user is a sub-user. */
export async function isClientOwner(em: EntityManager, user: Pick<User, 'roleId'>): Promise<boolean> {
	const role = await em.findOne(RoleSchema, { id: user.roleId }, { fields: ['builtInKey'] });
	return role?.builtInKey === 'owner';
}

/** Sign-in calls this for client users: a sub-user is refused while a restriction forbids their sign-in. */
export async function assertSubuserMaySignIn(em: EntityManager, user: User): Promise<void> {
	if (user.kind !== 'client' || !user.clientId) return;
	if (await isClientOwner(em, user)) return;
	await assertAllowed(em, user.clientId, 'subuser_login');
}
