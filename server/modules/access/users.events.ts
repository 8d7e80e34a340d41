import type { OutboxEvent } from '../../db/mutation';
import { SYSTEM_ROOM } from '../../realtime/room-access';

/** Everyone looking at the client's Users tab reloads it. */
export const usersChanged = (clientId: string): OutboxEvent => ({ event: 'users.changed', rooms: [`client:${clientId}`], payload: { clientId } });

/**
 * What a change of someone's permissions sends: the Users tab reloads, the users' open sockets
 * are checked again (a deactivated user's are closed, rooms they lost are left), and their open
 * pages reload their data (the root layout listens on each user's own room).
 */
export function accessChanged(clientId: string, userIds: readonly string[]): OutboxEvent[] {
	if (!userIds.length) return [usersChanged(clientId)];
	return [
		usersChanged(clientId),
		{ event: 'access.changed', rooms: [SYSTEM_ROOM], payload: { userIds: [...userIds] } },
		{ event: 'session.permissions_changed', rooms: userIds.map((id) => `user:${id}`), payload: { clientId } }
	];
}
