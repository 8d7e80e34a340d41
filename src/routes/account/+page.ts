import { error, redirect } from '@sveltejs/kit';
import { trpc, readError } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		return { me: await trpc(fetch).authentication.me.query() };
	} catch (cause) {
		const problem = readError(cause);
		if (problem.code === 'UNAUTHORIZED') redirect(303, '/login?next=/account');
		error(503, { message: 'The console could not load this page.', code: problem.code });
	}
};
