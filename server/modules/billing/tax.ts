import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors';
import { TaxRateSchema } from '../catalog/tax-rate.entity';
import type { TaxClass } from '../catalog/catalog.entity';

/**
 * Tax rates with validity dates, and the tax of one document line.
 *
 * A rate is valid from `validFrom` (inclusive) until `validTo` (exclusive). A rate change is a new
 * row (and an end date on the old one), so a document dated before the change still finds the
 * rate it was issued with. The document date is taken as a UTC calendar date.
 *
 * Rounding is per line, half away from zero (half-up for positive amounts): each line's tax is
 * rounded to whole minor units on its own and a document's tax is the sum of its lines' taxes.
 */

export interface TaxLookup {
	country: string;
	taxClass: TaxClass;
	at: Date;
}

export interface AppliedTax {
	/** Basis points: 2100 = 21 %. */
	rateBp: number;
	/** The rate row used, kept on the document so it can be shown later; null for exempt. */
	taxRateId: string | null;
}

const isoDate = (at: Date) => at.toISOString().slice(0, 10);

export async function taxFor(em: EntityManager, lookup: TaxLookup): Promise<AppliedTax> {
	if (lookup.taxClass === 'exempt') return { rateBp: 0, taxRateId: null };
	const day = isoDate(lookup.at);
	const rate = await em.findOne(
		TaxRateSchema,
		{ country: lookup.country.toUpperCase(), taxClass: lookup.taxClass, validFrom: { $lte: day }, $or: [{ validTo: null }, { validTo: { $gt: day } }] },
		{ orderBy: { validFrom: 'desc' } }
	);
	if (!rate) throw new AppError('CONFLICT', `No ${lookup.taxClass} tax rate is set for ${lookup.country} on ${day}.`);
	return { rateBp: rate.rateBp, taxRateId: rate.id };
}

/** Tax on one line's net amount (minor units), rounded half away from zero. */
export function taxOnLine(netMinor: bigint, rateBp: number): bigint {
	const product = netMinor * BigInt(rateBp);
	const magnitude = product < 0n ? -product : product;
	const rounded = (magnitude + 5000n) / 10000n;
	return product < 0n ? -rounded : rounded;
}

/** Seeded EU rates (standard and reduced, valid from 2020); a demo database starts with them. */
export const SEED_TAX_RATES: { country: string; taxClass: TaxClass; rateBp: number; validFrom: string; validTo: string | null }[] = [
	{ country: 'DE', taxClass: 'standard', rateBp: 1900, validFrom: '2020-01-01', validTo: null },
	{ country: 'DE', taxClass: 'reduced', rateBp: 700, validFrom: '2020-01-01', validTo: null },
	{ country: 'FR', taxClass: 'standard', rateBp: 2000, validFrom: '2020-01-01', validTo: null },
	{ country: 'FR', taxClass: 'reduced', rateBp: 550, validFrom: '2020-01-01', validTo: null },
	{ country: 'NL', taxClass: 'standard', rateBp: 2100, validFrom: '2020-01-01', validTo: null },
	{ country: 'NL', taxClass: 'reduced', rateBp: 900, validFrom: '2020-01-01', validTo: null },
	{ country: 'IE', taxClass: 'standard', rateBp: 2300, validFrom: '2020-01-01', validTo: null },
	{ country: 'IE', taxClass: 'reduced', rateBp: 1350, validFrom: '2020-01-01', validTo: null },
	{ country: 'EE', taxClass: 'standard', rateBp: 2000, validFrom: '2020-01-01', validTo: '2024-01-01' },
	{ country: 'EE', taxClass: 'standard', rateBp: 2200, validFrom: '2024-01-01', validTo: '2025-07-01' },
	{ country: 'EE', taxClass: 'standard', rateBp: 2400, validFrom: '2025-07-01', validTo: null },
	{ country: 'EE', taxClass: 'reduced', rateBp: 900, validFrom: '2020-01-01', validTo: null }
];

/** Inserts the seed rates that are not there yet (same country, class and start date). */
export async function seedTaxRates(em: EntityManager): Promise<void> {
	for (const rate of SEED_TAX_RATES) {
		await em
			.getConnection()
			.execute(
				`insert into tax_rate (id, country, tax_class, rate_bp, valid_from, valid_to) values (gen_random_uuid(), ?, ?, ?, ?, ?) on conflict (country, tax_class, valid_from) do nothing`,
				[rate.country, rate.taxClass, rate.rateBp, rate.validFrom, rate.validTo]
			);
	}
}
