import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getAppServices } from '../../../server/app-context';

export const GET: RequestHandler = async () => {
	const { status, body } = await getAppServices().health();
	return json(body, { status: status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
