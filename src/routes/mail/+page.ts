import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failMailLoad } from './mail-load-error';

export const load: PageLoad = async ({ fetch, url }) => {
	const cursor = url.searchParams.get('cursor') || undefined;
	try {
		return { cursor, page: await trpc(fetch).mail.list.query({ cursor }) };
	} catch (cause) {
		failMailLoad(cause, 'Sent mail not found');
	}
};
