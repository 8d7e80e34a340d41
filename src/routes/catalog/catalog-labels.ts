/** Words the catalogue page shows for stored values. */
export const KIND_LABELS = { plan: 'Plan', addon: 'Add-on', licence: 'Licence', tool: 'Tool' } as const;
export const CYCLE_LABELS = { hourly: 'Hourly usage', monthly: 'Monthly', yearly: 'Yearly' } as const;
export const TAX_CLASS_LABELS = { standard: 'Standard', reduced: 'Reduced', exempt: 'Exempt' } as const;

/** A minor-unit amount in its currency, through Intl (the exponent comes from the currency). */
export function formatPrice(amountMinor: bigint, currency: string): string {
	const format = new Intl.NumberFormat('en', { style: 'currency', currency });
	const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
	const scale = 10n ** BigInt(exponent);
	const whole = amountMinor / scale;
	const fraction = (amountMinor % scale).toString().padStart(exponent, '0');
	// Intl formats a decimal string at full precision: the amount never becomes a float.
	return format.format(`${whole}${exponent ? `.${fraction}` : ''}` as unknown as number);
}
