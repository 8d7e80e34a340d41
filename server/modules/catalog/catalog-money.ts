import { AppError } from '../../errors';
import { isCurrency, parseAmount, toDecimalString } from '../billing/money';

/**
 * Decimal text ⇄ minor units for catalogue prices, through the shared money module (no floating
 * point anywhere). A price may be zero (a free add-on) but never negative.
 */

export const isCurrencyCode = isCurrency;

/** "12.34" in EUR → 1234n; null when the text is not a non-negative amount with at most the currency's decimals. */
export function parseMinor(text: string, currency: string): bigint | null {
	try {
		return parseAmount(text, currency, { allowZero: true });
	} catch (error) {
		if (error instanceof AppError) return null;
		throw error;
	}
}

/** 1234n in EUR → "12.34" (for form fields; display goes through Intl in the UI). */
export const formatMinor = toDecimalString;
