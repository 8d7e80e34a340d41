import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';
import { SUBSCRIPTION_STATUS_VALUES, type StatusValue } from './subscription-labels';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const rawStatus = url.searchParams.get('status') ?? '';
	const status = (SUBSCRIPTION_STATUS_VALUES as readonly string[]).includes(rawStatus) ? (rawStatus as StatusValue) : undefined;
	const productId = url.searchParams.get('plan') || undefined;
	const cursor = url.searchParams.get('cursor') || undefined;
	try {
		const api = trpc(fetch);
		const [list, options] = await Promise.all([
			api.subscriptions.list.query({ clientId: params.clientId, status, productId, cursor }),
			api.subscriptions.options.query({ clientId: params.clientId })
		]);
		return { list, options, filters: { status: status ?? '', plan: productId ?? '' }, cursor: cursor ?? null };
	} catch (cause) {
		failLoad(cause, 'Page not found');
	}
};
