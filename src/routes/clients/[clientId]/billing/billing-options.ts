/** Labels of Billing Setup choices (the values are the API's). */
export const BILLING_TYPE_LABELS = { prepaid: 'Prepaid credits', postpaid: 'Postpaid', manual: 'Manual' } as const;
export const TAX_PROFILE_LABELS = { standard: 'Standard', reverse_charge: 'Reverse charge', exempt: 'Exempt' } as const;
export const BILLING_CYCLE_LABELS = { monthly: 'Monthly', yearly: 'Yearly' } as const;
export const INVOICE_LANGUAGE_LABELS = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', it: 'Italian', nl: 'Dutch' } as const;

export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');

/** "1234.50" in EUR -> "€1,234.50". Intl formats the decimal text exactly (no float on the way); '' -> fallback. */
export function formatAmount(decimal: string, currency: string, fallback = 'Not set'): string {
	if (!decimal) return fallback;
	return new Intl.NumberFormat('en', { style: 'currency', currency }).format(decimal as `${number}`);
}

export const days = (value: number | null, fallback = 'Off') => (value === null ? fallback : `${value} ${value === 1 ? 'day' : 'days'}`);
