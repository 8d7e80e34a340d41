import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const cursor = url.searchParams.get('cursor') ?? undefined;
	try {
		return { cursor: cursor ?? null, log: await trpc(fetch).mail.clientLog.query({ clientId: params.clientId, cursor }) };
	} catch (cause) {
		failLoad(cause, 'Page not found');
	}
};
