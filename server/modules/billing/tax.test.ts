import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../../errors';
import { seedTaxRates, taxFor, taxOnLine } from './tax';
import { useTestDatabase } from '../../../tests/integration/test-database';

const db = await useTestDatabase();

beforeAll(async () => {
	await seedTaxRates(db.em());
});

describe('tax rates with validity dates', () => {
	it('applies a rate change from its date and keeps the old rate before it', async () => {
		const at = (iso: string) => taxFor(db.em(), { country: 'EE', taxClass: 'standard', at: new Date(iso) });
		expect((await at('2023-12-31T23:59:59Z')).rateBp).toBe(2000);
		expect((await at('2024-01-01T00:00:00Z')).rateBp).toBe(2200);
		expect((await at('2025-06-30T12:00:00Z')).rateBp).toBe(2200);
		expect((await at('2025-07-01T00:00:00Z')).rateBp).toBe(2400);
		expect((await at('2030-01-01T00:00:00Z')).rateBp).toBe(2400);
	});

	it('uses the tax class, and exempt lines carry no tax', async () => {
		const now = new Date();
		expect((await taxFor(db.em(), { country: 'de', taxClass: 'reduced', at: now })).rateBp).toBe(700);
		expect(await taxFor(db.em(), { country: 'DE', taxClass: 'exempt', at: now })).toEqual({ rateBp: 0, taxRateId: null });
	});

	it('refuses a date no rate covers instead of guessing', async () => {
		const error = await taxFor(db.em(), { country: 'DE', taxClass: 'standard', at: new Date('2019-12-31T00:00:00Z') }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AppError);
	});

	it('seeding twice adds nothing', async () => {
		await seedTaxRates(db.em());
		const rows = await db.em().getConnection().execute<{ n: string }[]>(`select count(*)::text as n from tax_rate where country = 'EE'`);
		expect(rows[0].n).toBe('4');
	});
});

describe('tax per line', () => {
	it('rounds half away from zero, one line at a time', () => {
		expect(taxOnLine(1000n, 2100)).toBe(210n);
		expect(taxOnLine(50n, 2100)).toBe(11n); // 10.5 → 11
		expect(taxOnLine(-50n, 2100)).toBe(-11n);
		expect(taxOnLine(2n, 2500)).toBe(1n); // 0.5 → 1
		expect(taxOnLine(1n, 2100)).toBe(0n);
	});

	it('is within half a minor unit of the exact tax, symmetric for credits', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 10000 }), (net, rateBp) => {
				const tax = taxOnLine(net, rateBp);
				const difference = tax * 10000n - net * BigInt(rateBp);
				expect(difference <= 5000n && difference >= -5000n).toBe(true);
				expect(taxOnLine(-net, rateBp)).toBe(-tax);
			})
		);
	});
});
