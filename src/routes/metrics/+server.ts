import type { RequestHandler } from './$types';
import { getAppServices } from '../../../server/app-context';

export const GET: RequestHandler = async () => {
	const { contentType, body } = await getAppServices().metrics();
	return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
};
