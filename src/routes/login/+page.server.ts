import { redirect } from '@sveltejs/kit';
import { trpc } from '$lib/trpc';
import type { PageServerLoad } from './$types';

const SESSION_COOKIE = 'cirrus_session';

/** The session cookie as the browser sent it (the hook has already cleared it when it is dead). */
function sentSessionToken(cookieHeader: string | null): string | null {
	for (const part of (cookieHeader ?? '').split(';')) {
		const [name, ...value] = part.trim().split('=');
		if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
	}
	return null;
}

export const load: PageServerLoad = async ({ locals, request, fetch }) => {
	if (locals.actor) redirect(303, '/');
	// A browser whose session someone else ended (blocked, revoked, password changed) lands here
	// still holding the dead token: the page can say why.
	const token = sentSessionToken(request.headers.get('cookie'));
	const ended = token ? await trpc(fetch).auth.sessionEndReason.query({ token }).catch(() => null) : null;
	return { endedBecause: ended?.reason ?? null };
};
