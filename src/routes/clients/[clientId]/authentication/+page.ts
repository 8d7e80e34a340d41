import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { failLoad } from '../../load-error';
import { readAuthParams } from './auth-params';

export const load: PageLoad = async ({ fetch, params, url }) => {
	const query = readAuthParams(url.searchParams);
	const api = trpc(fetch);
	try {
		// The overview first: its room seqs must be read before the lists they keep live.
		const overview = await api.authentication.overview.query({ clientId: params.clientId });
		const [otp, failed] = await Promise.all([
			api.authentication.otpRecords.query({ clientId: params.clientId, status: query.otpStatus ?? undefined, cursor: query.otpCursor ?? undefined, limit: 10 }),
			api.authentication.failedLogins.query({ clientId: params.clientId, cursor: query.loginCursor ?? undefined, limit: 10 })
		]);
		return { overview, otp, failed, query };
	} catch (cause) {
		failLoad(cause, 'Client not found');
	}
};
