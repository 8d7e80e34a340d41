import { error } from '@sveltejs/kit';
import { hasPermission } from '$lib/session-user';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	// Without the permission the page does not exist for this user (same answer as the API).
	if (user?.kind !== 'staff' || !hasPermission(user, 'clients.create')) error(404, { message: 'Page not found', code: 'NOT_FOUND' });
	return {};
};
