import { AppError } from '../../errors';
import type { GatewayDriver } from './gateway';
import { manualDriver } from './manual.driver';
import { testCardDriver } from './test-card.driver';

const DRIVERS: Record<string, GatewayDriver> = {
	[manualDriver.name]: manualDriver,
	[testCardDriver.name]: testCardDriver
};

/** The driver stored under a ledger entry's `gateway`. */
export function gatewayDriver(name: string): GatewayDriver {
	const driver = DRIVERS[name];
	if (!driver) throw new AppError('BAD_REQUEST', `Unknown payment gateway ${name}.`);
	return driver;
}
