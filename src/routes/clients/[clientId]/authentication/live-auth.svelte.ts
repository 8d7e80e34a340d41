import { refreshLiveData } from '$lib/live/refresh';
import { useLiveRooms } from '$lib/live/live-room.svelte';
import type { LiveEvent } from '../../../../../server/realtime/live-event';

/**
 * Reloads the page's data when its rooms announce an authentication change (sessions, sign-in
 * attempts, codes, two-factor, blocks). Bursts (a block ends several sessions) reload once.
 */
export function useLiveAuth(rooms: () => Record<string, number>) {
	let pending: ReturnType<typeof setTimeout> | undefined;
	const reload = () => {
		clearTimeout(pending);
		pending = setTimeout(() => void refreshLiveData(), 150);
	};
	const handlers = {
		onEvent: (event: LiveEvent) => {
			if (event.event === 'auth.changed') reload();
		},
		onRefetch: reload
	};
	useLiveRooms(rooms, handlers);
}
