import { error } from '@sveltejs/kit';
import { readError } from '$lib/trpc';

/** A failed load as the error page shows it; NOT_FOUND also stands for "not allowed", as in the API. */
export function failMailLoad(cause: unknown, notFoundMessage: string): never {
	const problem = readError(cause);
	if (problem.code === 'NOT_FOUND') error(404, { message: notFoundMessage });
	if (problem.code === 'BAD_REQUEST') error(400, { message: problem.message });
	if (problem.code === 'UNAUTHORIZED') error(401, { message: problem.message });
	error(503, { message: problem.message });
}
