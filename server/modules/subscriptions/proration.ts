/**
 * Proration of a plan change inside a billing period, in minor units, without floating point.
 *
 * The period is counted in whole units: UTC days for monthly and yearly plans, seconds for hourly
 * ones. A change credits the part of the old price for the units still to come and charges the
 * part of the new price for the same units.
 *
 * Rounding: the share of a price used up to unit `t` is `round(price × t / total)`, half away
 * from zero; the part of any stretch [a, b) is `share(b) − share(a)`. So the parts of a period
 * always add up to exactly the whole price (the rounding differences cancel), and each line is
 * rounded once, on its own.
 */

export type ProrationUnit = 'day' | 'second';

export interface ProrationInput {
	periodStart: Date;
	periodEnd: Date;
	changeAt: Date;
	/** What the old plan costs for the whole period (quantity and discount applied), minor units. */
	oldAmount: bigint;
	/** What the new plan costs for the whole period, minor units. */
	newAmount: bigint;
	unit: ProrationUnit;
}

export interface Proration {
	/** Units in the period and units left after the change. */
	totalUnits: number;
	remainingUnits: number;
	/** Credit for the unused part of the old price (≥ 0; shown as a negative line). */
	credit: bigint;
	/** Charge for the rest of the period at the new price (≥ 0). */
	charge: bigint;
	/** charge − credit: what the client owes (negative on a downgrade: a credit). */
	net: bigint;
}

const DAY_MS = 86_400_000;

function unitIndex(at: Date, unit: ProrationUnit): number {
	const ms = at.getTime();
	return unit === 'day' ? Math.floor(ms / DAY_MS) : Math.floor(ms / 1000);
}

/** round(amount × numerator / denominator), half away from zero; denominator > 0. */
export function divideRounded(amount: bigint, numerator: bigint, denominator: bigint): bigint {
	const product = amount * numerator;
	const magnitude = product < 0n ? -product : product;
	const rounded = (2n * magnitude + denominator) / (2n * denominator);
	return product < 0n ? -rounded : rounded;
}

/** The share of `amount` used by the first `units` of `totalUnits`. */
export function shareUpTo(amount: bigint, units: number, totalUnits: number): bigint {
	if (totalUnits <= 0) throw new RangeError('A period must last at least one unit.');
	const clamped = Math.min(Math.max(units, 0), totalUnits);
	return divideRounded(amount, BigInt(clamped), BigInt(totalUnits));
}

/** The part of `amount` for units [from, to) of the period. */
export function partOf(amount: bigint, from: number, to: number, totalUnits: number): bigint {
	return shareUpTo(amount, to, totalUnits) - shareUpTo(amount, from, totalUnits);
}

export function prorate(input: ProrationInput): Proration {
	if (input.oldAmount < 0n || input.newAmount < 0n) throw new RangeError('Prices cannot be negative.');
	const start = unitIndex(input.periodStart, input.unit);
	const totalUnits = unitIndex(input.periodEnd, input.unit) - start;
	if (totalUnits <= 0) throw new RangeError('The period must end after it starts.');
	const elapsed = Math.min(Math.max(unitIndex(input.changeAt, input.unit) - start, 0), totalUnits);
	const credit = partOf(input.oldAmount, elapsed, totalUnits, totalUnits);
	const charge = partOf(input.newAmount, elapsed, totalUnits, totalUnits);
	return { totalUnits, remainingUnits: totalUnits - elapsed, credit, charge, net: charge - credit };
}
