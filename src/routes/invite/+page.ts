import { error } from '@sveltejs/kit';
import { readError, trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
	const token = url.searchParams.get('token')?.trim() ?? '';
	if (!token) return { token, status: { valid: false, reason: 'invalid' as const, clientName: null, email: null, roleName: null } };
	try {
		return { token, status: await trpc(fetch).invitations.status.query({ token }) };
	} catch (cause) {
		error(503, { message: readError(cause).message });
	}
};
