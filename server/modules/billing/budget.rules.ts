/**
 * The thresholds (percent of the budget) that `spent` has reached. Integer arithmetic only:
 * a threshold t is reached when spent * 100 >= budget * t.
 */
export function reachedThresholds(budget: bigint, spent: bigint, thresholds: readonly number[]): number[] {
	if (budget <= 0n) return [];
	return [...thresholds].sort((a, b) => a - b).filter((threshold) => spent * 100n >= budget * BigInt(threshold));
}

/** A budget period: the UTC calendar month, YYYY-MM. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function periodOf(date: Date): string {
	return date.toISOString().slice(0, 7);
}
