import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { TAX_CLASSES } from './catalog.entity';

/**
 * A tax rate of one country and tax class, in basis points (2100 = 21 %), valid from `validFrom`
 * (inclusive) until `validTo` (exclusive; null = still valid). Dates are ISO calendar dates.
 */
export const TaxRateSchema = defineEntity({
	name: 'TaxRate',
	tableName: 'tax_rate',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		country: p.string().length(2),
		taxClass: p.enum(TAX_CLASSES),
		rateBp: p.integer(),
		validFrom: p.string().columnType('date'),
		validTo: p.string().columnType('date').nullable()
	}
});
export type TaxRate = InferEntity<typeof TaxRateSchema>;
