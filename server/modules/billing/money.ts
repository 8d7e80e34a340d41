/**
 * Money is an integer count of minor units (bigint) with an ISO 4217 currency. Nothing on the
 * money path goes through a JavaScript number: amounts arrive as decimal strings ("12.34"),
 * are parsed here digit by digit, stored as PostgreSQL bigint and formatted with
 * Intl.NumberFormat from an exact decimal string.
 *
 * Rounding rule (documented once, used everywhere): a fraction of a minor unit is rounded PER
 * LINE (each invoice line, each prorated part, each tax amount of a line), HALF-EVEN (banker's
 * rounding: 0.5 goes to the even neighbour, so rounding many lines does not drift upwards).
 * When a whole must be split into parts that add up exactly (proration, instalments), use
 * allocate(), which hands out the leftover minor units by largest remainder.
 */
import { AppError, fieldError } from '../../errors';

export interface Money {
	amount: bigint;
	currency: string;
}

/**
 * The largest absolute amount accepted from input: 10^15 minor units (ten trillion in a
 * two-decimal currency). Far below PostgreSQL's bigint limit (9.2 * 10^18), so sums of many
 * entries cannot overflow, and far above any real payment.
 */
export const MAX_ABS_MINOR = 10n ** 15n;

const exponentCache = new Map<string, number>();

/** Whether a string is an ISO 4217 code this runtime knows. */
export function isCurrency(code: string): boolean {
	return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

/** Digits after the decimal point for a currency (EUR 2, JPY 0, BHD 3), as Intl defines them. */
export function currencyExponent(currency: string): number {
	const cached = exponentCache.get(currency);
	if (cached !== undefined) return cached;
	if (!isCurrency(currency)) throw new AppError('BAD_REQUEST', `Unknown currency ${currency}.`);
	const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
		.maximumFractionDigits;
	if (digits === undefined) throw new Error(`No exponent for ${currency}.`);
	exponentCache.set(currency, digits);
	return digits;
}

export interface ParseOptions {
	/** Accept a leading minus (adjustments); purchases and payments are positive. */
	allowNegative?: boolean;
	/** Accept 0 (default: an amount must move money). */
	allowZero?: boolean;
	/** The field name used in field errors. */
	field?: string;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string such as "12.34", "-5" or "0.5" into minor units of `currency`.
 * Rejects more decimals than the currency has (no silent rounding of what a person typed),
 * negatives unless allowed, zero unless allowed, grouping separators, exponents and amounts
 * beyond MAX_ABS_MINOR. Errors are field errors, so forms show them under the amount.
 */
export function parseAmount(text: string, currency: string, options: ParseOptions = {}): bigint {
	const field = options.field ?? 'amount';
	const exponent = currencyExponent(currency);
	const match = DECIMAL.exec(text.trim());
	if (!match) throw fieldError(field, 'Enter an amount like 12.34.');
	const [, sign, whole, fraction = ''] = match;
	if (fraction.length > exponent) {
		throw fieldError(
			field,
			exponent === 0
				? `${currency} has no decimals.`
				: `${currency} has at most ${exponent} decimal${exponent === 1 ? '' : 's'}.`
		);
	}
	// Length check before BigInt, so a megabyte of digits is refused without being converted.
	if (whole.replace(/^0+/, '').length > 16) throw fieldError(field, 'This amount is too large.');
	const magnitude = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
	if (magnitude > MAX_ABS_MINOR) throw fieldError(field, 'This amount is too large.');
	if (magnitude === 0n && !options.allowZero) throw fieldError(field, 'Enter an amount other than zero.');
	if (sign === '-' && magnitude !== 0n && !options.allowNegative) {
		throw fieldError(field, 'Enter a positive amount.');
	}
	return sign === '-' ? -magnitude : magnitude;
}

/** The canonical decimal string of an amount ("-12.30" for -1230 EUR), which parseAmount reads back. */
export function toDecimalString(minor: bigint, currency: string): string {
	const exponent = currencyExponent(currency);
	const negative = minor < 0n;
	const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
	const whole = digits.slice(0, digits.length - exponent);
	const fraction = digits.slice(digits.length - exponent);
	return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** Formats for people ("€12.30", "-¥5") from the exact decimal string, never a float. */
export function formatMoney(minor: bigint, currency: string, locale = 'en'): string {
	const decimal = toDecimalString(minor, currency);
	// Intl.NumberFormat reads a string argument as an exact decimal (ECMA-402 NumberFormat v3).
	return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
		decimal as unknown as number
	);
}

function sameCurrency(a: Money, b: Money): void {
	if (a.currency !== b.currency) {
		throw new AppError('BAD_REQUEST', `Cannot combine ${a.currency} and ${b.currency} amounts.`);
	}
}

export function addMoney(a: Money, b: Money): Money {
	sameCurrency(a, b);
	return { amount: a.amount + b.amount, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
	sameCurrency(a, b);
	return { amount: a.amount - b.amount, currency: a.currency };
}

export function sumAmounts(amounts: Iterable<bigint>): bigint {
	let total = 0n;
	for (const amount of amounts) total += amount;
	return total;
}

/**
 * numerator / denominator rounded half-even to a whole minor unit: the one rounding step of a
 * line (tax = net * rate, a prorated line = price * used / period).
 */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
	if (denominator === 0n) throw new Error('Division by zero in a money calculation.');
	if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
	const quotient = numerator / denominator; // truncates towards zero
	const remainder = numerator - quotient * denominator;
	const twice = (remainder < 0n ? -remainder : remainder) * 2n;
	if (twice < denominator) return quotient;
	const away = numerator < 0n ? quotient - 1n : quotient + 1n;
	if (twice > denominator) return away;
	return quotient % 2n === 0n ? quotient : away;
}

/**
 * Splits `total` into parts proportional to non-negative `weights` so that the parts add up to
 * `total` exactly: each part is floored, then the leftover minor units go one by one to the
 * parts with the largest remainders (ties to the earlier part).
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
	if (weights.length === 0) throw new Error('Nothing to allocate to.');
	if (weights.some((weight) => weight < 0n)) throw new Error('Negative allocation weight.');
	const weightSum = sumAmounts(weights);
	if (weightSum === 0n) throw new Error('Allocation weights add up to zero.');
	const negative = total < 0n;
	const magnitude = negative ? -total : total;
	const parts = weights.map((weight) => (magnitude * weight) / weightSum);
	const remainders = weights.map((weight, index) => ({ index, rest: (magnitude * weight) % weightSum }));
	let leftover = magnitude - sumAmounts(parts);
	remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
	for (const { index } of remainders) {
		if (leftover === 0n) break;
		parts[index] += 1n;
		leftover -= 1n;
	}
	return negative ? parts.map((part) => -part) : parts;
}
