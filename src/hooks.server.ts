import type { Handle } from '@sveltejs/kit';
import { getAppServices } from '../server/app-context';

export const handle: Handle = (input) => getAppServices().handle(input);
