import { error } from '@sveltejs/kit';
import { readError, trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		return { catalog: await trpc(fetch).catalog.list.query({}) };
	} catch (cause) {
		const problem = readError(cause);
		// NOT_FOUND also stands for "not allowed", as everywhere in the API.
		if (problem.code === 'NOT_FOUND') error(404, { message: 'Catalogue not found' });
		if (problem.code === 'UNAUTHORIZED') error(401, { message: problem.message });
		error(503, { message: problem.message });
	}
};
