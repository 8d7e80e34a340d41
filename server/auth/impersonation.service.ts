import type { EntityManager } from '@mikro-orm/postgresql';
import { UserSchema } from '../modules/access/user.entity';
import { mutate } from '../db/mutation';
import { AppError, notFound } from '../errors';
import { createSession, invalidateSession, type NewSession } from './session.service';
import { can, type Actor } from './actor';

/** Staff "sign in as" a client user: a new session for that user that names the staff member. */
export async function startImpersonation(
	em: EntityManager,
	actor: Actor,
	input: { clientId: string; userId: string }
): Promise<NewSession> {
	if (actor.kind !== 'staff' || !can(actor, 'clients.impersonate') || actor.impersonator) throw notFound('That user');
	const target = await em.findOne(UserSchema, { id: input.userId, clientId: input.clientId, kind: 'client' });
	if (!target) throw notFound('That user');
	if (!target.active || target.blockedAt) {
		throw new AppError('CONFLICT', 'This user is blocked or deactivated; unblock them before signing in as them.');
	}
	return mutate(em, actor, async (tx) => ({
		result: await createSession(tx, target.id, { ip: actor.ip, userAgent: actor.userAgent, impersonatorUserId: actor.userId }),
		activity: {
			clientId: input.clientId,
			action: 'impersonation.started',
			targetType: 'user',
			targetId: target.id,
			summary: `${actor.name} signed in as ${target.name}`
		}
	}));
}

export async function endImpersonation(em: EntityManager, actor: Actor): Promise<void> {
	if (!actor.impersonator || !actor.sessionId) throw new AppError('BAD_REQUEST', 'You are not signed in as someone else.');
	const sessionId = actor.sessionId;
	await mutate(em, actor, async (tx) => {
		await invalidateSession(tx, sessionId);
		return {
			result: undefined,
			activity: {
				clientId: actor.clientId,
				action: 'impersonation.ended',
				targetType: 'user',
				targetId: actor.userId,
				summary: `${actor.impersonator?.name} stopped signing in as ${actor.name}`
			}
		};
	});
}
