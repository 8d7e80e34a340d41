import type { RequestHandler } from './$types';
import { getAppServices } from '../../../../../../server/app-context';

export const GET: RequestHandler = (event) => getAppServices().transactionsCsv(event);
