import { trpc } from '$lib/trpc';
import type { LayoutLoad } from './$types';
import { failLoad } from '../load-error';

export const load: LayoutLoad = async ({ fetch, params }) => {
	try {
		return { client: await trpc(fetch).clients.header.query({ clientId: params.clientId }) };
	} catch (cause) {
		failLoad(cause, 'Client not found');
	}
};
