import { AppError } from '../../errors';
import type { BillingCycle } from '../catalog/catalog.entity';
import type { SubscriptionStatus } from './subscription.entity';
import { divideRounded, type ProrationUnit } from './proration';

/**
 * The statuses a subscription may move to from each status. Cancelled and expired are final.
 * A pending cancellation can be taken back (→ active) until it takes effect.
 */
export const ALLOWED_TRANSITIONS: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
	trial: ['active', 'suspended', 'cancellation_pending', 'cancelled', 'expired'],
	pending: ['active', 'cancelled'],
	active: ['suspended', 'cancellation_pending', 'cancelled', 'expired'],
	suspended: ['active', 'cancelled'],
	cancellation_pending: ['active', 'suspended', 'cancelled'],
	cancelled: [],
	expired: []
};

export const STATUS_LABELS: Record<SubscriptionStatus, string> = {
	trial: 'trial',
	pending: 'pending',
	active: 'active',
	suspended: 'suspended',
	cancellation_pending: 'cancellation pending',
	cancelled: 'cancelled',
	expired: 'expired'
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
	return ALLOWED_TRANSITIONS[from].includes(to);
}

/** Throws a CONFLICT that names both statuses when the move is not allowed. */
export function assertTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
	if (!canTransition(from, to)) {
		throw new AppError('CONFLICT', `A ${STATUS_LABELS[from]} subscription cannot become ${STATUS_LABELS[to]}.`);
	}
}

/** Adds months in UTC, keeping the day of the month where it exists (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
	const result = new Date(at.getTime());
	const day = result.getUTCDate();
	result.setUTCDate(1);
	result.setUTCMonth(result.getUTCMonth() + months);
	const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
	result.setUTCDate(Math.min(day, lastDay));
	return result;
}

/** The end of a billing period that starts at `start`: an hour, a month or a year later. */
export function periodEnd(start: Date, cycle: BillingCycle): Date {
	if (cycle === 'hourly') return new Date(start.getTime() + 3_600_000);
	return addMonths(start, cycle === 'monthly' ? 1 : 12);
}

export const prorationUnit = (cycle: BillingCycle): ProrationUnit => (cycle === 'hourly' ? 'second' : 'day');

/** What one period costs: unit price × quantity, less the discount, rounded once (half away from zero). */
export function periodAmount(unitPriceMinor: bigint, quantity: number, discountBp: number): bigint {
	return divideRounded(unitPriceMinor * BigInt(quantity), BigInt(10_000 - discountBp), 10_000n);
}

/**
 * When a cancellation "at period end" takes effect: the first period end that leaves at least
 * the notice period from now and is not before the end of the minimum term.
 */
export function cancellationDate(input: {
	now: Date;
	currentPeriodEnd: Date;
	cycle: BillingCycle;
	noticeDays: number;
	minimumTermEndsAt: Date | null;
}): Date {
	const earliest = Math.max(input.now.getTime() + input.noticeDays * 86_400_000, input.minimumTermEndsAt?.getTime() ?? 0);
	let end = input.currentPeriodEnd;
	// Bounded: a notice of a year on an hourly plan is 8,784 steps at most.
	for (let step = 0; end.getTime() < earliest && step < 20_000; step++) end = periodEnd(end, input.cycle);
	return end;
}
