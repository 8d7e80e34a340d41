import type { EntityManager } from '@mikro-orm/postgresql';
import { writeOutbox, type OutboxEvent } from '../../realtime/outbox-writer';

/** What changed on a client's Authentication tab; the page refetches that part. */
export type AuthChange = 'otp' | 'sessions' | 'attempts' | 'totp' | 'users';

export const AUTH_CHANGED_EVENT = 'auth.changed';

/**
 * To the client's room (its Authentication tab) and to the rooms of the users concerned (their
 * own security page, which staff users have too).
 */
export function authChangedEvent(clientId: string | null, what: AuthChange, userIds: string[] = []): OutboxEvent {
	const rooms = [...(clientId ? [`client:${clientId}`] : []), ...userIds.map((id) => `user:${id}`)];
	return { event: AUTH_CHANGED_EVENT, rooms, payload: { clientId, what } };
}

/**
 * Announces a change made outside mutate() (sign-in records, code guesses). Inside a caller's
 * transaction the event commits with it; otherwise it gets a transaction of its own, because the
 * outbox's ordering lock only holds inside one.
 */
export async function announceAuthChange(em: EntityManager, clientId: string | null, what: AuthChange, userIds: string[] = []): Promise<void> {
	const event = authChangedEvent(clientId, what, userIds);
	if (!event.rooms.length) return;
	if (em.isInTransaction()) await writeOutbox(em, [event]);
	else await em.fork().transactional((tx) => writeOutbox(tx, [event]));
}
