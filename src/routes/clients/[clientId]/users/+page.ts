import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const cursor = url.searchParams.get('after') ?? undefined;
	try {
		return { overview: await trpc(fetch).users.overview.query({ clientId: params.clientId, cursor }), cursor: cursor ?? null };
	} catch (cause) {
		failLoad(cause, 'Client not found');
	}
};
