import { trpc, readError } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';
import { apiFilters, readActivityParams } from './activity-params';

const PAGE_SIZE = 50;

// The filter's days are the viewer's days: the load turns them into instants in the browser's
// own time zone, which a server render cannot know.
export const ssr = false;

export const load: PageLoad = async ({ fetch, params: route, url }) => {
	const params = readActivityParams(url.searchParams);
	const api = trpc(fetch);
	const filters = { clientId: route.clientId, ...apiFilters(params) };
	const [page, facets] = await Promise.allSettled([
		api.activity.list.query({ ...filters, limit: PAGE_SIZE }),
		api.activity.facets.query({ clientId: route.clientId })
	]);
	if (facets.status === 'rejected') failLoad(facets.reason, 'Client not found');
	if (page.status === 'fulfilled') return { params, filters, pageSize: PAGE_SIZE, page: page.value, facets: facets.value, problem: null };
	const problem = readError(page.reason);
	// Filters the API refused: the page stays, with the messages next to the fields.
	if (problem.code !== 'BAD_REQUEST') failLoad(page.reason, 'Client not found');
	return { params, filters, pageSize: PAGE_SIZE, page: null, facets: facets.value, problem };
};
