import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Each user lands where their work is. */
export const load: PageServerLoad = ({ locals }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, '/login');
	if (actor.kind === 'client' && actor.clientId) redirect(303, `/clients/${actor.clientId}/summary`);
	if (actor.permissions.has('clients.read')) redirect(303, '/clients');
	return { roleName: actor.roleName };
};
