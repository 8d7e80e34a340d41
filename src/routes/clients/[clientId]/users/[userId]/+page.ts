import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../../load-error';

export const load: PageLoad = async ({ fetch, params }) => {
	try {
		return { detail: await trpc(fetch).users.get.query({ clientId: params.clientId, userId: params.userId }) };
	} catch (cause) {
		failLoad(cause, 'User not found');
	}
};
