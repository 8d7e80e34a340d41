import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { BILLING_CYCLES, TAX_CLASSES } from '../catalog/catalog.entity';

export const SUBSCRIPTION_STATUSES = ['trial', 'pending', 'active', 'suspended', 'cancellation_pending', 'cancelled', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A client's subscription to a catalogue product, at the price it was sold at. */
export const SubscriptionSchema = defineEntity({
	name: 'Subscription',
	tableName: 'subscription',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		clientId: p.uuid(),
		productId: p.uuid(),
		productName: p.string().length(120),
		billingCycle: p.enum(BILLING_CYCLES),
		currency: p.string().length(3),
		unitPriceMinor: p.bigint('bigint'),
		quantity: p.integer(),
		/** Discount in basis points: 1000 = 10 %. */
		discountBp: p.integer().default(0),
		taxClass: p.enum(TAX_CLASSES),
		status: p.enum(SUBSCRIPTION_STATUSES),
		startedAt: p.datetime(),
		trialEndsAt: p.datetime().nullable(),
		currentPeriodStart: p.datetime(),
		/** Also the next renewal. */
		currentPeriodEnd: p.datetime(),
		minimumTermEndsAt: p.datetime().nullable(),
		noticeDays: p.integer().default(0),
		/** When a cancellation at period end takes effect (status cancellation_pending). */
		cancelAt: p.datetime().nullable(),
		cancelledAt: p.datetime().nullable(),
		version: p.integer().default(1),
		createdAt: p.datetime().onCreate(() => new Date()),
		updatedAt: p.datetime().onCreate(() => new Date())
	}
});
export type Subscription = InferEntity<typeof SubscriptionSchema>;

/** A line for the next invoice run; signed (a proration credit is negative). */
export const UnbilledChargeSchema = defineEntity({
	name: 'UnbilledCharge',
	tableName: 'unbilled_charge',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		clientId: p.uuid(),
		subscriptionId: p.uuid().nullable(),
		description: p.text(),
		amountMinor: p.bigint('bigint'),
		currency: p.string().length(3),
		taxClass: p.enum(TAX_CLASSES),
		periodStart: p.datetime(),
		periodEnd: p.datetime(),
		invoiceId: p.uuid().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});
export type UnbilledCharge = InferEntity<typeof UnbilledChargeSchema>;
