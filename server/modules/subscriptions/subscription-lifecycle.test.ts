import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from './subscription.entity';
import { addMonths, assertTransition, canTransition, cancellationDate, periodAmount, periodEnd } from './subscription-lifecycle';

/** Every pair, written out: a change to the rules has to change this table too. */
const ALLOWED: [SubscriptionStatus, SubscriptionStatus][] = [
	['trial', 'active'],
	['trial', 'suspended'],
	['trial', 'cancellation_pending'],
	['trial', 'cancelled'],
	['trial', 'expired'],
	['pending', 'active'],
	['pending', 'cancelled'],
	['active', 'suspended'],
	['active', 'cancellation_pending'],
	['active', 'cancelled'],
	['active', 'expired'],
	['suspended', 'active'],
	['suspended', 'cancelled'],
	['cancellation_pending', 'active'],
	['cancellation_pending', 'suspended'],
	['cancellation_pending', 'cancelled']
];

describe('subscription transitions', () => {
	const pairs = SUBSCRIPTION_STATUSES.flatMap((from) => SUBSCRIPTION_STATUSES.map((to) => [from, to] as const));
	it.each(pairs)('%s → %s follows the table', (from, to) => {
		const allowed = ALLOWED.some(([a, b]) => a === from && b === to);
		expect(canTransition(from, to)).toBe(allowed);
		if (allowed) expect(() => assertTransition(from, to)).not.toThrow();
		else expect(() => assertTransition(from, to)).toThrow(AppError);
	});

	it('names both statuses when refusing', () => {
		expect(() => assertTransition('cancelled', 'active')).toThrow('A cancelled subscription cannot become active.');
	});
});

describe('periods and prices', () => {
	it('adds months in UTC, clamping to the end of a shorter month', () => {
		expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
		expect(addMonths(new Date('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
		expect(addMonths(new Date('2026-11-15T00:00:00Z'), 12).toISOString()).toBe('2027-11-15T00:00:00.000Z');
		expect(periodEnd(new Date('2026-11-15T00:00:00Z'), 'hourly').toISOString()).toBe('2026-11-15T01:00:00.000Z');
	});

	it('applies quantity and discount once, rounded half away from zero', () => {
		expect(periodAmount(900n, 3, 0)).toBe(2700n);
		expect(periodAmount(999n, 1, 1000)).toBe(899n); // 899.1
		expect(periodAmount(5n, 1, 5000)).toBe(3n); // 2.5
		expect(periodAmount(1234n, 2, 10_000)).toBe(0n);
	});

	it('cancels at the first period end after the notice and the minimum term', () => {
		const now = new Date('2026-03-10T00:00:00Z');
		const currentPeriodEnd = new Date('2026-04-01T00:00:00Z');
		expect(cancellationDate({ now, currentPeriodEnd, cycle: 'monthly', noticeDays: 0, minimumTermEndsAt: null })).toEqual(currentPeriodEnd);
		expect(cancellationDate({ now, currentPeriodEnd, cycle: 'monthly', noticeDays: 30, minimumTermEndsAt: null }).toISOString()).toBe('2026-05-01T00:00:00.000Z');
		expect(
			cancellationDate({ now, currentPeriodEnd, cycle: 'monthly', noticeDays: 0, minimumTermEndsAt: new Date('2026-08-01T00:00:00Z') }).toISOString()
		).toBe('2026-08-01T00:00:00.000Z');
	});
});
