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

/**
 * Subscribes to every room of a `{ room: seq }` record (as the API returns it with a page's data),
 * following the record: another client's page, or a reload with newer seqs, re-subscribes.
 */
export function useLiveRooms(rooms: () => Record<string, number | null>, handlers: RoomHandlers) {
	$effect(() => {
		const unsubscribes = Object.entries(rooms()).map(([room, seq]) => liveConnection.subscribe(room, seq, handlers));
		return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
	});
}
