import type { RequestHandler } from './$types';
import { getAppServices } from '../../../../../server/app-context';

const handler: RequestHandler = (event) => getAppServices().trpc(event);

export const GET = handler;
export const POST = handler;
