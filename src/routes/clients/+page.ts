import { error, redirect } from '@sveltejs/kit';
import { trpc } from '$lib/trpc';
import { hasPermission } from '$lib/session-user';
import type { PageLoad } from './$types';
import { failLoad } from './load-error';
import { readListParams } from './list-params';

const PAGE_SIZE = 25;

export const load: PageLoad = async ({ fetch, url, parent }) => {
	const { user } = await parent();
	// Client users have exactly one account: theirs.
	if (user?.kind === 'client' && user.clientId) redirect(303, `/clients/${user.clientId}/summary`);
	if (!hasPermission(user, 'clients.read')) error(404, { message: 'Page not found', code: 'NOT_FOUND' });
	const params = readListParams(url.searchParams);
	try {
		const page = await trpc(fetch).clients.list.query({
			search: params.search || undefined,
			status: params.status,
			sort: params.sort,
			direction: params.direction,
			cursor: params.cursor,
			limit: PAGE_SIZE
		});
		return { params, page };
	} catch (cause) {
		failLoad(cause, 'Page not found');
	}
};
