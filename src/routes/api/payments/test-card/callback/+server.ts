import type { RequestHandler } from './$types';
import { getAppServices } from '../../../../../../server/app-context';

export const POST: RequestHandler = (event) => getAppServices().testCardCallback(event);
