/**
 * Decimal text ⇄ minor units for catalogue prices, without floating point: the string is split
 * at the decimal point and the digits are read as a bigint. (A local helper until the shared
 * money module exists.)
 */

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY), from Intl. */
export function currencyExponent(currency: string): number {
	return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function isCurrencyCode(code: string): boolean {
	if (!/^[A-Z]{3}$/.test(code)) return false;
	try {
		new Intl.NumberFormat('en', { style: 'currency', currency: code });
		return Intl.supportedValuesOf('currency').includes(code);
	} catch {
		return false;
	}
}

const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/** "12.34" in EUR → 1234n; null when the text is not a non-negative amount with at most the currency's decimals. */
export function parseMinor(text: string, currency: string): bigint | null {
	const match = DECIMAL.exec(text.trim());
	if (!match) return null;
	const exponent = currencyExponent(currency);
	const fraction = match[2] ?? '';
	if (fraction.length > exponent) return null;
	return BigInt(match[1] + fraction.padEnd(exponent, '0'));
}

/** 1234n in EUR → "12.34" (for form fields; display goes through Intl in the UI). */
export function formatMinor(amount: bigint, currency: string): string {
	const exponent = currencyExponent(currency);
	const negative = amount < 0n;
	const digits = (negative ? -amount : amount).toString().padStart(exponent + 1, '0');
	const whole = digits.slice(0, digits.length - exponent);
	const fraction = digits.slice(digits.length - exponent);
	return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}
