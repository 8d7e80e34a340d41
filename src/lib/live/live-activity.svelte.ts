import { refreshLiveData } from './refresh';
import type { ActivityView } from '../../../server/db/mutation';
import type { LiveEvent } from '../../../server/realtime/live-event';
import { useLiveRooms } from './live-room.svelte';

/**
 * A client's activity entries kept live: entries pushed to the client's rooms are prepended to
 * the loaded ones (deduplicated by id, newest first, at most `limit`). Other events of the room
 * (the client itself changed) reload the page's data.
 */
export function useLiveClientActivity(options: {
	rooms: () => Record<string, number>;
	loaded: () => ActivityView[];
	limit: number;
	/** Entries matching no filter of the page are not prepended. */
	accept?: (entry: ActivityView) => boolean;
}) {
	let pushed = $state<ActivityView[]>([]);

	// A reload brings its own entries: what was pushed before it is already in them.
	$effect(() => {
		options.loaded();
		pushed = [];
	});

	const onEvent = (event: LiveEvent) => {
		if (event.event === 'activity.created') {
			const entry = event.payload.activity as ActivityView;
			if (!options.accept || options.accept(entry)) pushed = [entry, ...pushed].slice(0, options.limit);
		} else if (event.event === 'client.updated') {
			void refreshLiveData();
		}
	};
	const handlers = { onEvent, onRefetch: () => void refreshLiveData() };
	useLiveRooms(options.rooms, handlers);

	return {
		get entries(): ActivityView[] {
			const byId = Object.fromEntries([...options.loaded(), ...pushed].map((entry) => [entry.id, entry]));
			return Object.values(byId)
				.sort((a, b) => Number(BigInt(b.id) - BigInt(a.id)))
				.slice(0, options.limit);
		}
	};
}
