import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One budget threshold that fired in one period. Written only by evaluateBudgetAlerts with
 * `on conflict do nothing` on (client_id, period, threshold).
 */
export const BudgetAlertSchema = defineEntity({
	name: 'BudgetAlert',
	tableName: 'budget_alert',
	properties: {
		id: p.uuid().primary(),
		clientId: p.uuid(),
		/** YYYY-MM (UTC month). */
		period: p.string().length(7),
		threshold: p.integer(),
		budget: p.bigint('bigint'),
		spent: p.bigint('bigint'),
		currency: p.string().length(3),
		firedAt: p.datetime()
	}
});

export type BudgetAlert = InferEntity<typeof BudgetAlertSchema>;
