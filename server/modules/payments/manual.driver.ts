import { randomUUID } from 'node:crypto';
import type { GatewayDriver } from './gateway';

/**
 * Bank transfer: nothing happens automatically. A charge stays pending until staff record the
 * money as received (recordOfflinePayment writes a succeeded `payment` entry with their
 * reference), so polling never settles it.
 */
export const manualDriver: GatewayDriver = {
	name: 'manual',
	async charge() {
		return { status: 'pending', reference: `bt_${randomUUID()}` };
	},
	async poll() {
		return null;
	}
};
