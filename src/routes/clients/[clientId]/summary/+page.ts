import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		return { summary: await trpc(fetch).clients.summary.query({ clientId: params.clientId }) };
	} catch (cause) {
		failLoad(cause, 'Client not found');
	}
};
