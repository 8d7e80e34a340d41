import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';
import { PAGE_SIZE, readLedgerParams } from './ledger-params';

export const load: PageLoad = async ({ fetch, params: route, url }) => {
	const filters = { clientId: route.clientId, ...readLedgerParams(url.searchParams) };
	try {
		return { filters, ledger: await trpc(fetch).transactions.list.query({ ...filters, limit: PAGE_SIZE }) };
	} catch (cause) {
		failLoad(cause, 'Client not found');
	}
};
