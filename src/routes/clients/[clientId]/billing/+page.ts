import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		return await trpc(fetch).billingSettings.get.query({ clientId: params.clientId });
	} catch (cause) {
		failLoad(cause, 'Page not found');
	}
};
