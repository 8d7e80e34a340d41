import { refreshLiveData } from '$lib/live/refresh';
import type { LiveEvent } from '../../../../../server/realtime/live-event';
import { useLiveRooms } from '$lib/live/live-room.svelte';

/** Events after which the Users tab's data is stale (someone changed users, invitations or roles). */
const RELOAD_ON = new Set(['users.changed', 'client.updated']);

/**
 * Keeps a Users tab page live: it subscribes to the client's rooms from the seqs its data was read
 * at, and reloads the data when users, invitations or roles change.
 */
export function useLiveUsers(rooms: () => Record<string, number>) {
	const handlers = {
		onEvent: (event: LiveEvent) => {
			if (RELOAD_ON.has(event.event)) void refreshLiveData();
		},
		onRefetch: () => void refreshLiveData()
	};
	useLiveRooms(rooms, handlers);
}
