/** Words and formats the Subscriptions tab shows. */
export const SUBSCRIPTION_STATUS_VALUES = ['trial', 'pending', 'active', 'suspended', 'cancellation_pending', 'cancelled', 'expired'] as const;
export type StatusValue = (typeof SUBSCRIPTION_STATUS_VALUES)[number];

export const STATUS_LABELS: Record<StatusValue, string> = {
	trial: 'Trial',
	pending: 'Pending',
	active: 'Active',
	suspended: 'Suspended',
	cancellation_pending: 'Cancellation pending',
	cancelled: 'Cancelled',
	expired: 'Expired'
};

export const CYCLE_LABELS = { hourly: 'Hourly usage', monthly: 'Monthly', yearly: 'Yearly' } as const;
export const PER_CYCLE = { hourly: 'per hour', monthly: 'per month', yearly: 'per year' } as const;

/** A minor-unit amount in its currency through Intl, from a decimal string (never a float). */
export function formatMinor(amountMinor: bigint | string, currency: string): string {
	const format = new Intl.NumberFormat('en', { style: 'currency', currency });
	const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
	const value = BigInt(amountMinor);
	const negative = value < 0n;
	const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
	const text = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
	return format.format(`${negative ? '-' : ''}${text}` as unknown as number);
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
export const formatDay = (value: Date | string | null) => (value ? dateFormat.format(new Date(value)) : '—');
