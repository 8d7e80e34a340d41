import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

const PUBLIC_PATHS = ['/login', '/set-password', '/invite'];

export const load: LayoutServerLoad = ({ locals, url }) => {
	const actor = locals.actor;
	if (!actor && !PUBLIC_PATHS.some((path) => url.pathname.startsWith(path))) {
		const next = url.pathname + url.search;
		redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
	}
	return {
		user: actor
			? {
					userId: actor.userId,
					name: actor.name,
					email: actor.email,
					kind: actor.kind,
					clientId: actor.clientId,
					roleName: actor.roleName,
					permissions: [...actor.permissions],
					impersonator: actor.impersonator
				}
			: null
	};
};
