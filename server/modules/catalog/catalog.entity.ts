import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const PRODUCT_KINDS = ['plan', 'addon', 'licence', 'tool'] as const;
export const BILLING_CYCLES = ['hourly', 'monthly', 'yearly'] as const;
export const TAX_CLASSES = ['standard', 'reduced', 'exempt'] as const;

export type ProductKind = (typeof PRODUCT_KINDS)[number];
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export type TaxClass = (typeof TAX_CLASSES)[number];

/** Something a client can subscribe to or order: a plan, an add-on, a licence or a tool. */
export const ProductSchema = defineEntity({
	name: 'Product',
	tableName: 'product',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		kind: p.enum(PRODUCT_KINDS),
		name: p.string().length(120),
		description: p.text().default(''),
		taxClass: p.enum(TAX_CLASSES),
		/** Inactive products stay on existing subscriptions but cannot be chosen for new ones. */
		active: p.boolean().default(true),
		createdAt: p.datetime().onCreate(() => new Date()),
		updatedAt: p.datetime().onCreate(() => new Date())
	}
});
export type Product = InferEntity<typeof ProductSchema>;

/**
 * One price of a product for one billing cycle in one currency, in minor units. For the hourly
 * cycle it is the price of one unit-hour of usage.
 */
export const ProductPriceSchema = defineEntity({
	name: 'ProductPrice',
	tableName: 'product_price',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		productId: p.uuid(),
		billingCycle: p.enum(BILLING_CYCLES),
		currency: p.string().length(3),
		amountMinor: p.bigint('bigint')
	}
});
export type ProductPrice = InferEntity<typeof ProductPriceSchema>;
