/**
 * Money on the page: amounts arrive from the API as bigint minor units (superjson keeps them
 * exact) and are formatted with Intl.NumberFormat from an exact decimal string, never through a
 * float. The server's parser and rules live in server/modules/billing/money.ts; this is the
 * display side only (client code may not import server modules).
 */

/** Digits after the decimal point for a currency, as Intl defines them (EUR 2, JPY 0). */
export function currencyDigits(currency: string): number {
	return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "-12.30" for -1230 EUR: the plain decimal a form field shows and the API accepts back. */
export function minorToDecimal(minor: bigint, currency: string): string {
	const digits = currencyDigits(currency);
	const negative = minor < 0n;
	const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
	const whole = text.slice(0, text.length - digits);
	const fraction = text.slice(text.length - digits);
	return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

/** "€1,234.56" in the browser's locale. */
export function formatMoney(minor: bigint, currency: string, locale?: string): string {
	// A string argument is read as an exact decimal (ECMA-402 NumberFormat v3).
	return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
		minorToDecimal(minor, currency) as unknown as number
	);
}
