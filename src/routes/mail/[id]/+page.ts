import { error } from '@sveltejs/kit';
import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failMailLoad } from '../mail-load-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageLoad = async ({ fetch, params }) => {
	if (!UUID.test(params.id)) error(404, { message: 'Message not found' });
	try {
		return { mail: await trpc(fetch).mail.get.query({ id: params.id }) };
	} catch (cause) {
		failMailLoad(cause, 'Message not found');
	}
};
