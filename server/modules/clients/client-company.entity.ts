import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * What invoices are addressed to (the company name stays on `client`, where the list reads it).
 * One row per client, written on the first save; invoices copy it through getCompanySnapshot.
 */
export const ClientCompanySchema = defineEntity({
	name: 'ClientCompany',
	tableName: 'client_company',
	properties: {
		clientId: p.uuid().primary(),
		addressLine1: p.string().length(200).nullable(),
		addressLine2: p.string().length(200).nullable(),
		city: p.string().length(120).nullable(),
		region: p.string().length(120).nullable(),
		postalCode: p.string().length(20).nullable(),
		/** ISO 3166-1 alpha-2: decides which VAT rules apply. */
		country: p.string().length(2).nullable(),
		/** E.164. */
		billingPhone: p.string().length(20).nullable(),
		/** Normalised: upper case, no separators, with its country prefix when the country has one. */
		vatId: p.string().length(32).nullable(),
		taxExempt: p.boolean().default(false),
		taxExemptReason: p.text().nullable(),
		billingEmails: p.json<string[]>().default([]),
		updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
	}
});

export type ClientCompany = InferEntity<typeof ClientCompanySchema>;
