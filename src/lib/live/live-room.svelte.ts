import { liveConnection, type RoomHandlers } from './live-connection.svelte';

/**
 * Subscribes the calling component to a room for as long as it is mounted (and the room name
 * stays the same). Call during component initialisation.
 */
export function useLiveRoom(room: () => string | null, sinceSeq: () => number | null, handlers: RoomHandlers) {
	$effect(() => {
		const name = room();
		if (!name) return;
		return liveConnection.subscribe(name, sinceSeq(), handlers);
	});
}
