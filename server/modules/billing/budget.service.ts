import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BudgetAlertSchema, type BudgetAlert } from './budget.entity';
import { loadBillingSettings } from './billing-settings.service';
import { formatMoney, toDecimalString } from './money';
import { PERIOD_PATTERN, reachedThresholds } from './budget.rules';
import { BUDGET_ALERT_TEMPLATE, renderBudgetAlertMail } from './budget-alert.template';
import { ClientSchema } from '../clients/client.entity';
import { getClient } from '../clients/client.service';
import { getCompanySnapshot } from '../clients/company.service';
import { deliverMail, recordMail } from '../mail/mail.service';
import type { Mailer } from '../mail/mailer';
import { mutate } from '../../db/mutation';
import { systemActor, type Actor } from '../../auth/actor';

export interface BudgetAlertView {
	id: string;
	period: string;
	threshold: number;
	/** Decimal text in `currency`. */
	budget: string;
	spent: string;
	currency: string;
	firedAt: string;
}

export function toBudgetAlertView(row: BudgetAlert): BudgetAlertView {
	const currency = row.currency.trim();
	return {
		id: row.id,
		period: row.period,
		threshold: row.threshold,
		budget: toDecimalString(row.budget, currency),
		spent: toDecimalString(row.spent, currency),
		currency,
		firedAt: row.firedAt.toISOString()
	};
}


export interface EvaluateBudgetInput {
	/** Minor units of the client's currency spent so far in `period`. */
	spentThisPeriod: bigint;
	/** YYYY-MM. */
	period: string;
}

/**
 * Fires the budget thresholds that `spentThisPeriod` has reached and that have not fired in
 * `period` yet. The unique (client_id, period, threshold) plus `on conflict do nothing` decides
 * who fires: a retry, a second call or another node inserts nothing and sends nothing. Mail is
 * recorded in the same transaction and handed to the mailer only after commit.
 */
export async function evaluateBudgetAlerts(
	em: EntityManager,
	clientId: string,
	input: EvaluateBudgetInput,
	deps: { mailer: Mailer; actor?: Actor }
): Promise<BudgetAlertView[]> {
	if (!PERIOD_PATTERN.test(input.period)) throw new Error(`Budget period must be YYYY-MM, got "${input.period}".`);
	if (input.spentThisPeriod < 0n) throw new Error('Spending cannot be negative.');
	const mailIds: string[] = [];
	const fired = await mutate(em, deps.actor ?? systemActor('Budget alerts'), async (tx) => {
		const client = await tx.findOneOrFail(ClientSchema, { id: clientId });
		const settings = await loadBillingSettings(tx, clientId);
		const budget = settings.monthlyBudget ?? null;
		if (budget === null) return { result: [], activity: [] };
		const currency = client.currency.trim();
		const reached = reachedThresholds(budget, input.spentThisPeriod, settings.alertThresholds);
		const rows: BudgetAlert[] = [];
		for (const threshold of reached) {
			const id = randomUUID();
			const inserted = await tx.execute<{ id: string }[]>(
				`insert into budget_alert (id, client_id, period, threshold, budget, spent, currency, fired_at)
				 values (?, ?, ?, ?, ?, ?, ?, now())
				 on conflict (client_id, period, threshold) do nothing returning id`,
				[id, clientId, input.period, threshold, budget.toString(), input.spentThisPeriod.toString(), currency]
			);
			if (inserted.length) rows.push(await tx.findOneOrFail(BudgetAlertSchema, { id }));
		}
		if (!rows.length) return { result: [], activity: [] };
		const views = rows.map(toBudgetAlertView);
		const company = await getCompanySnapshot(tx, clientId);
		const top = rows[rows.length - 1];
		const mail = renderBudgetAlertMail({
			clientName: client.name,
			period: input.period,
			threshold: top.threshold,
			spent: formatMoney(input.spentThisPeriod, currency),
			budget: formatMoney(budget, currency)
		});
		for (const to of company.billingEmails) {
			mailIds.push(recordMail(tx, { clientId, to, template: BUDGET_ALERT_TEMPLATE, ...mail }).id);
		}
		return {
			result: views,
			activity: views.map((view) => ({
				clientId,
				action: 'budget.alert',
				targetType: 'client',
				targetId: clientId,
				summary: `Budget alert: ${view.threshold} % of the ${view.period} budget reached`,
				after: { threshold: view.threshold, period: view.period, spent: view.spent, budget: view.budget, currency }
			})),
			events: [{ event: 'budget.alert', rooms: [`client:${clientId}`, 'noc'], payload: { clientId, clientName: client.name, alerts: views } }]
		};
	});
	for (const id of mailIds) await deliverMail(em, deps.mailer, id);
	return fired;
}

/** The alerts that fired for the client in one period, lowest threshold first. */
export async function listBudgetAlerts(em: EntityManager, actor: Actor, clientId: string, period: string): Promise<BudgetAlertView[]> {
	await getClient(em, actor, clientId);
	const rows = await em.find(BudgetAlertSchema, { clientId, period }, { orderBy: { threshold: 'asc' } });
	return rows.map(toBudgetAlertView);
}
