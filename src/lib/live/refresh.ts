import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Reloads the page's data after a live event. While a navigation is in flight it does nothing:
 * the page being opened loads fresh data anyway, and reloading now would cancel the person's click.
 */
export function refreshLiveData(): Promise<void> {
	if (navigating.to) return Promise.resolve();
	return invalidateAll();
}
