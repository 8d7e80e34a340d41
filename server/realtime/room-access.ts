import { can, canReachClient, type Actor } from '../auth/actor';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CLIENT_ROOM = new RegExp(`^client:(${UUID})$`);
const CLIENT_STAFF_ROOM = new RegExp(`^client:(${UUID}):staff$`);
const USER_ROOM = new RegExp(`^user:(${UUID})$`);

/** Internal events (access changes) go here; no socket can join it. */
export const SYSTEM_ROOM = 'system';

/**
 * The same rule as the tRPC query that shows a room's data: a socket may join a room only when
 * its user could read that data through the API.
 */
export function canJoinRoom(actor: Actor, room: string): boolean {
	let match: RegExpExecArray | null;
	if ((match = CLIENT_ROOM.exec(room))) return can(actor, 'summary.read') && canReachClient(actor, match[1]);
	if ((match = CLIENT_STAFF_ROOM.exec(room))) return actor.kind === 'staff' && canReachClient(actor, match[1]);
	if ((match = USER_ROOM.exec(room))) return actor.userId === match[1];
	if (room === 'staff') return actor.kind === 'staff' && can(actor, 'clients.read');
	if (room === 'noc') return actor.kind === 'staff' && can(actor, 'noc.view');
	return false;
}

/** The rooms a user watches for one client's workspace: its room, plus the staff-only twin for staff. */
export function clientRooms(actor: Actor, clientId: string): string[] {
	return actor.kind === 'staff' ? [`client:${clientId}`, `client:${clientId}:staff`] : [`client:${clientId}`];
}
