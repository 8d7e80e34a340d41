import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		return { disciplinary: await trpc(fetch).disciplinary.list.query({ clientId: params.clientId }) };
	} catch (cause) {
		failLoad(cause, 'Client not found');
	}
};
