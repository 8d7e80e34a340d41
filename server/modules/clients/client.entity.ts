import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const CLIENT_STATUSES = ['active', 'suspended', 'blocked', 'terminated'] as const;
export const CLIENT_TYPES = ['organization', 'individual'] as const;
export const BILLING_TYPES = ['prepaid', 'postpaid', 'manual'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** A customer account of the provider. Indexes for its list sorts live in the migration (expression indexes). */
export const ClientSchema = defineEntity({
	name: 'Client',
	tableName: 'client',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		name: p.string().length(200),
		email: p.string().length(320),
		company: p.string().length(200).nullable(),
		type: p.enum(CLIENT_TYPES),
		billingType: p.enum(BILLING_TYPES),
		currency: p.string().length(3),
		status: p.enum(CLIENT_STATUSES).default('active'),
		statusReason: p.text().nullable(),
		createdAt: p.datetime().onCreate(() => new Date()),
		updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
	}
});

export type Client = InferEntity<typeof ClientSchema>;
