import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divideRounded, partOf, prorate } from './proration';

const DAY_MS = 86_400_000;
const amount = fc.bigInt({ min: 0n, max: 10n ** 12n });
const periodStart = new Date('2026-03-01T00:00:00Z');
const periodEnd = new Date('2026-04-01T00:00:00Z');

describe('proration', () => {
	it('the parts of any split of a period add up to the whole price', () => {
		fc.assert(
			fc.property(amount, fc.integer({ min: 1, max: 400 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }), (price, total, cuts) => {
				const points = [0, ...cuts.map((cut) => cut % (total + 1)).sort((a, b) => a - b), total];
				let sum = 0n;
				for (let i = 1; i < points.length; i++) {
					const part = partOf(price, points[i - 1], points[i], total);
					expect(part >= 0n).toBe(true);
					sum += part;
				}
				expect(sum).toBe(price);
			})
		);
	});

	it('a change at the start of the period costs the full difference', () => {
		fc.assert(
			fc.property(amount, amount, (oldAmount, newAmount) => {
				const result = prorate({ periodStart, periodEnd, changeAt: periodStart, oldAmount, newAmount, unit: 'day' });
				expect(result.credit).toBe(oldAmount);
				expect(result.charge).toBe(newAmount);
				expect(result.net).toBe(newAmount - oldAmount);
			})
		);
	});

	it('a change at the end of the period costs nothing', () => {
		fc.assert(
			fc.property(amount, amount, (oldAmount, newAmount) => {
				const result = prorate({ periodStart, periodEnd, changeAt: periodEnd, oldAmount, newAmount, unit: 'second' });
				expect(result).toMatchObject({ credit: 0n, charge: 0n, net: 0n, remainingUnits: 0 });
			})
		);
	});

	it('a downgrade never gives back more than the unused part of the old price', () => {
		fc.assert(
			fc.property(amount, amount, fc.integer({ min: 0, max: 31 * DAY_MS }), (a, b, offset) => {
				const [newAmount, oldAmount] = a <= b ? [a, b] : [b, a];
				const changeAt = new Date(periodStart.getTime() + offset);
				const result = prorate({ periodStart, periodEnd, changeAt, oldAmount, newAmount, unit: 'day' });
				expect(result.charge >= 0n).toBe(true);
				expect(result.credit <= oldAmount).toBe(true);
				expect(result.net <= 0n).toBe(true);
				expect(-result.net <= result.credit).toBe(true);
			})
		);
	});

	it('counts whole UTC days: ten days left of thirty-one', () => {
		const result = prorate({
			periodStart,
			periodEnd,
			changeAt: new Date('2026-03-22T15:30:00Z'),
			oldAmount: 3100n,
			newAmount: 6200n,
			unit: 'day'
		});
		expect(result).toEqual({ totalUnits: 31, remainingUnits: 10, credit: 1000n, charge: 2000n, net: 1000n });
	});

	it('rounds each line half away from zero', () => {
		expect(divideRounded(1n, 1n, 2n)).toBe(1n);
		expect(divideRounded(-1n, 1n, 2n)).toBe(-1n);
		expect(divideRounded(10n, 1n, 3n)).toBe(3n);
		expect(divideRounded(20n, 1n, 3n)).toBe(7n);
	});

	it('refuses a period that does not move forward', () => {
		expect(() => prorate({ periodStart, periodEnd: periodStart, changeAt: periodStart, oldAmount: 1n, newAmount: 1n, unit: 'day' })).toThrow(RangeError);
	});
});
