import { error, redirect } from '@sveltejs/kit';
import { readError } from '$lib/trpc';

/**
 * Turns a failed API call inside a load function into the matching error page. NOT_FOUND covers
 * forbidden too (the API answers both the same way), so the page says only "not found".
 */
export function failLoad(cause: unknown, notFoundMessage: string): never {
	const problem = readError(cause);
	if (problem.code === 'NOT_FOUND') error(404, { message: notFoundMessage, code: 'NOT_FOUND' });
	// The session ended since the page was opened (signed out elsewhere, expired, blocked).
	if (problem.code === 'UNAUTHORIZED') redirect(303, '/login');
	if (problem.code === 'BAD_REQUEST') error(400, { message: problem.message, code: 'BAD_REQUEST' });
	// Anything else is on our side or the network's: say so plainly, the page offers Retry.
	error(503, { message: 'The console could not load this page.', code: problem.code });
}
