import type { EntityManager } from '@mikro-orm/postgresql';
import { SessionSchema } from '../modules/access/session.entity';
import { mutate } from '../db/mutation';
import { SYSTEM_ROOM } from '../realtime/room-access';
import type { Actor } from './actor';

/** Ends the given sessions of the actor; their open sockets are closed by the live pipeline. */
export async function signOut(em: EntityManager, actor: Actor, sessionIds: string[]): Promise<void> {
	await mutate(em, actor, async (tx) => {
		await tx.nativeDelete(SessionSchema, { id: { $in: sessionIds } });
		return {
			result: undefined,
			activity: {
				clientId: actor.clientId,
				action: 'auth.signed_out',
				targetType: 'user',
				targetId: actor.userId,
				summary: `${actor.name} signed out`
			},
			events: [{ event: 'access.changed', rooms: [SYSTEM_ROOM], payload: { userIds: [actor.userId, actor.impersonator?.userId].filter(Boolean) } }]
		};
	});
}
