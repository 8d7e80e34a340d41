import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const BILLING_CYCLES = ['monthly', 'yearly'] as const;
export const TAX_PROFILES = ['standard', 'reverse_charge', 'exempt'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export type TaxProfile = (typeof TAX_PROFILES)[number];

/**
 * Billing Setup of one client (the billing type and currency live on `client`). Amounts are minor
 * units of the client's currency.
 */
export const BillingSettingsSchema = defineEntity({
	name: 'BillingSettings',
	tableName: 'billing_settings',
	properties: {
		clientId: p.uuid().primary(),
		invoiceLanguage: p.string().length(5),
		reminderIntervalDays: p.integer(),
		paymentRetryAttempts: p.integer(),
		billingCycle: p.enum(BILLING_CYCLES),
		invoiceDay: p.integer(),
		paymentTermsDays: p.integer(),
		taxProfile: p.enum(TAX_PROFILES),
		creditLimit: p.bigint('bigint').nullable(),
		suspendAfterDays: p.integer().nullable(),
		terminateAfterDays: p.integer().nullable(),
		lowBalanceThreshold: p.bigint('bigint').nullable(),
		autoApplyCredit: p.boolean(),
		monthlyBudget: p.bigint('bigint').nullable(),
		/** Percentages of the monthly budget, ascending and unique. */
		alertThresholds: p.json<number[]>(),
		updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
	}
});

export type BillingSettings = InferEntity<typeof BillingSettingsSchema>;
