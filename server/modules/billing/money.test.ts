import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	MAX_ABS_MINOR,
	addMoney,
	allocate,
	currencyExponent,
	divideHalfEven,
	formatMoney,
	parseAmount,
	subtractMoney,
	sumAmounts,
	toDecimalString
} from './money';
import { AppError } from '../../errors';
import { formatMoney as formatOnPage, minorToDecimal } from '../../../src/lib/money';

const currencies = ['EUR', 'USD', 'JPY', 'BHD', 'CHF'];

function fieldMessage(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		if (error instanceof AppError) return error.fieldErrors?.amount?.[0];
		throw error;
	}
	return undefined;
}

describe('currency exponents come from Intl', () => {
	it('knows two, zero and three decimal currencies and refuses unknown codes', () => {
		expect(currencyExponent('EUR')).toBe(2);
		expect(currencyExponent('JPY')).toBe(0);
		expect(currencyExponent('BHD')).toBe(3);
		expect(() => currencyExponent('XXQ')).toThrow(AppError);
		expect(() => currencyExponent('eur')).toThrow(AppError);
	});
});

describe('parseAmount', () => {
	it('reads decimal strings exactly', () => {
		expect(parseAmount('12.34', 'EUR')).toBe(1234n);
		expect(parseAmount('12.3', 'EUR')).toBe(1230n);
		expect(parseAmount(' 7 ', 'EUR')).toBe(700n);
		expect(parseAmount('0.01', 'EUR')).toBe(1n);
		expect(parseAmount('500', 'JPY')).toBe(500n);
		expect(parseAmount('1.005', 'BHD')).toBe(1005n);
		// No float in between: 0.29 * 100 as a number is 28.999999999999996.
		expect(parseAmount('0.29', 'EUR')).toBe(29n);
		expect(parseAmount('9999999999999.99', 'EUR')).toBe(999999999999999n);
	});

	it('refuses more decimals than the currency has instead of rounding', () => {
		expect(fieldMessage(() => parseAmount('1.234', 'EUR'))).toBe('EUR has at most 2 decimals.');
		expect(fieldMessage(() => parseAmount('1.5', 'JPY'))).toBe('JPY has no decimals.');
	});

	it('refuses negatives and zero unless allowed', () => {
		expect(fieldMessage(() => parseAmount('-1.00', 'EUR'))).toBe('Enter a positive amount.');
		expect(parseAmount('-1.50', 'EUR', { allowNegative: true })).toBe(-150n);
		expect(fieldMessage(() => parseAmount('0.00', 'EUR'))).toBe('Enter an amount other than zero.');
		expect(parseAmount('0', 'EUR', { allowZero: true })).toBe(0n);
	});

	it('refuses malformed and absurd input', () => {
		for (const bad of ['', 'abc', '1,000.00', '1e3', '.5', '5.', '+5', '12.3.4', 'Infinity', 'NaN', '0x10']) {
			expect(fieldMessage(() => parseAmount(bad, 'EUR')), bad).toBe('Enter an amount like 12.34.');
		}
		expect(fieldMessage(() => parseAmount('10000000000000.01', 'EUR'))).toBe('This amount is too large.');
		expect(fieldMessage(() => parseAmount('9'.repeat(100_000), 'EUR'))).toBe('This amount is too large.');
		expect(parseAmount(toDecimalString(MAX_ABS_MINOR, 'EUR'), 'EUR')).toBe(MAX_ABS_MINOR);
	});

	it('names the field it is told to', () => {
		try {
			parseAmount('x', 'EUR', { field: 'price' });
			expect.unreachable();
		} catch (error) {
			expect((error as AppError).fieldErrors).toEqual({ price: ['Enter an amount like 12.34.'] });
		}
	});
});

describe('formatting', () => {
	it('writes the canonical decimal string and the human form', () => {
		expect(toDecimalString(-1230n, 'EUR')).toBe('-12.30');
		expect(toDecimalString(5n, 'EUR')).toBe('0.05');
		expect(toDecimalString(5n, 'JPY')).toBe('5');
		expect(toDecimalString(1n, 'BHD')).toBe('0.001');
		expect(formatMoney(123456n, 'EUR')).toBe('€1,234.56');
		expect(formatMoney(-500n, 'JPY')).toBe('-¥500');
		expect(formatMoney(9007199254740993n, 'USD')).toBe('$90,071,992,547,409.93');
	});
});

const amountIn = (currency: string) =>
	fc.bigInt({ min: -MAX_ABS_MINOR, max: MAX_ABS_MINOR }).map((amount) => ({ amount, currency }));
const anyMoney = fc.constantFrom(...currencies).chain(amountIn);

describe('properties', () => {
	it('parse(toDecimalString(x)) === x for every amount and currency', () => {
		fc.assert(
			fc.property(anyMoney, ({ amount, currency }) => {
				const text = toDecimalString(amount, currency);
				expect(parseAmount(text, currency, { allowNegative: true, allowZero: true })).toBe(amount);
			})
		);
	});

	it('add and subtract are inverse and refuse mixed currencies', () => {
		fc.assert(
			fc.property(fc.constantFrom(...currencies), fc.bigInt(), fc.bigInt(), (currency, a, b) => {
				const sum = addMoney({ amount: a, currency }, { amount: b, currency });
				expect(subtractMoney(sum, { amount: b, currency })).toEqual({ amount: a, currency });
			})
		);
		expect(() => addMoney({ amount: 1n, currency: 'EUR' }, { amount: 1n, currency: 'USD' })).toThrow(AppError);
	});

	it('allocate splits a whole into parts that add up to it exactly, each within one unit of its share', () => {
		fc.assert(
			fc.property(
				fc.bigInt({ min: -MAX_ABS_MINOR, max: MAX_ABS_MINOR }),
				fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
				(total, weights) => {
					fc.pre(sumAmounts(weights) > 0n);
					const parts = allocate(total, weights);
					expect(sumAmounts(parts)).toBe(total);
					const weightSum = sumAmounts(weights);
					parts.forEach((part, index) => {
						const exactTimesSum = total * weights[index];
						const diff = part * weightSum - exactTimesSum;
						expect(diff < 0n ? -diff : diff).toBeLessThan(weightSum);
					});
				}
			)
		);
	});

	it('divideHalfEven is within half a unit and sends exact halves to the even neighbour', () => {
		expect(divideHalfEven(5n, 2n)).toBe(2n);
		expect(divideHalfEven(7n, 2n)).toBe(4n);
		expect(divideHalfEven(-5n, 2n)).toBe(-2n);
		expect(divideHalfEven(-7n, 2n)).toBe(-4n);
		expect(divideHalfEven(10n, 3n)).toBe(3n);
		expect(divideHalfEven(20n, 3n)).toBe(7n);
		expect(divideHalfEven(1n, -2n)).toBe(0n);
		fc.assert(
			fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
				const q = divideHalfEven(n, d);
				const diff = 2n * (q * d - n);
				expect(diff <= d && diff >= -d).toBe(true);
			})
		);
	});
});

describe('the page-side formatter in src/lib/money.ts', () => {
	it('formats exactly, whatever the size', () => {
		expect(formatOnPage(123456n, 'EUR', 'en')).toBe('€1,234.56');
		expect(formatOnPage(-5n, 'EUR', 'en')).toBe('-€0.05');
		expect(formatOnPage(1500n, 'JPY', 'en')).toBe('¥1,500');
	});

	it('writes the same decimal string as the server', () => {
		fc.assert(
			fc.property(fc.bigInt(), fc.constantFrom(...currencies), (minor, currency) => {
				expect(minorToDecimal(minor, currency)).toBe(toDecimalString(minor, currency));
			})
		);
	});
});
