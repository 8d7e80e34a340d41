import { error } from '@sveltejs/kit';
import { readError } from '$lib/trpc';

/**
 * Turns a failed API call inside a load function into the matching error page. NOT_FOUND covers
 * forbidden too (the API answers both the same way), so the page says only "not found".
 */
export function failLoad(cause: unknown, notFoundMessage: string): never {
	const problem = readError(cause);
	if (problem.code === 'NOT_FOUND') error(404, { message: notFoundMessage, code: 'NOT_FOUND' });
	if (problem.code === 'UNAUTHORIZED') error(401, { message: problem.message, code: 'UNAUTHORIZED' });
	if (problem.code === 'BAD_REQUEST') error(400, { message: problem.message, code: 'BAD_REQUEST' });
	error(503, { message: problem.message, code: problem.code });
}
