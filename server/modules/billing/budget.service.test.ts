import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateBudgetAlerts } from './budget.service';
import { reachedThresholds } from './budget.rules';
import { BudgetAlertSchema } from './budget.entity';
import { BUDGET_ALERT_TEMPLATE } from './budget-alert.template';
import { BillingSettingsSchema } from './billing-settings.entity';
import { ClientCompanySchema } from '../clients/client-company.entity';
import { MailMessageSchema } from '../mail/mail-message.entity';
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { Actor } from '../../auth/actor';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();
let billing: Actor;

beforeAll(async () => {
	billing = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff' }));
});

/** Records what reaches the mailer, and whether the alert row was already committed at that moment. */
function recordingMailer() {
	const sent: { mail: OutgoingMail; committedAlerts: number }[] = [];
	const mailer: Mailer = {
		appUrl: 'http://localhost:3000',
		async deliver(mail) {
			const [row] = await db.em().execute<{ n: string }[]>(`select count(*) as n from mail_message m join budget_alert a on a.client_id = m.client_id where m.id = ?`, [mail.id]);
			sent.push({ mail, committedAlerts: Number(row.n) });
			return 'sent';
		},
		close() {}
	};
	return { mailer, sent };
}

async function clientWithBudget(budgetMinor: bigint | null, thresholds = [50, 80, 100]) {
	const client = await newClient(db.em(), { currency: 'EUR' });
	const em = db.em();
	em.create(ClientCompanySchema, { clientId: client.id, taxExempt: false, taxExemptReason: null, billingEmails: ['ap@budget.example', 'cfo@budget.example'], updatedAt: new Date() });
	em.create(BillingSettingsSchema, {
		clientId: client.id,
		invoiceLanguage: 'en',
		reminderIntervalDays: 7,
		paymentRetryAttempts: 3,
		billingCycle: 'monthly',
		invoiceDay: 1,
		paymentTermsDays: 14,
		taxProfile: 'standard',
		creditLimit: null,
		suspendAfterDays: null,
		terminateAfterDays: null,
		lowBalanceThreshold: null,
		autoApplyCredit: false,
		monthlyBudget: budgetMinor,
		alertThresholds: thresholds,
		updatedAt: new Date()
	});
	await em.flush();
	return client;
}

describe('reachedThresholds', () => {
	it('compares in integers: exactly at the threshold fires, one minor unit below does not', () => {
		expect(reachedThresholds(100_00n, 50_00n, [50, 80, 100])).toEqual([50]);
		expect(reachedThresholds(100_00n, 49_99n, [50, 80, 100])).toEqual([]);
		expect(reachedThresholds(100_00n, 100_00n, [100, 50, 80])).toEqual([50, 80, 100]);
		expect(reachedThresholds(3n, 1n, [33, 34])).toEqual([33]);
		expect(reachedThresholds(0n, 5n, [50])).toEqual([]);
	});

	it('matches spent/budget >= t/100 for any amounts (property)', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 }), (budget, spent, thresholds) => {
				const reached = reachedThresholds(budget, spent, thresholds);
				for (const threshold of thresholds) expect(reached.includes(threshold)).toBe(spent * 100n >= budget * BigInt(threshold));
			})
		);
	});
});

describe('evaluateBudgetAlerts', () => {
	it('fires each reached threshold once per period, mails after commit and emits budget.alert to the client and the NOC', async () => {
		const client = await clientWithBudget(1000_00n);
		const { mailer, sent } = recordingMailer();
		expect(await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 400_00n, period: '2026-11' }, { mailer })).toEqual([]);
		const first = await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 850_00n, period: '2026-11' }, { mailer });
		expect(first.map((alert) => alert.threshold)).toEqual([50, 80]);
		expect(first[1]).toMatchObject({ spent: '850.00', budget: '1000.00', currency: 'EUR' });
		// The same spending again, or a little more: nothing new.
		expect(await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 900_00n, period: '2026-11' }, { mailer })).toEqual([]);
		expect((await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 1000_00n, period: '2026-11' }, { mailer })).map((alert) => alert.threshold)).toEqual([100]);
		// A new month starts over.
		expect((await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 600_00n, period: '2026-12' }, { mailer })).map((alert) => alert.threshold)).toEqual([50]);

		expect(sent.map(({ mail }) => mail.to).sort()).toEqual(['ap@budget.example', 'ap@budget.example', 'ap@budget.example', 'cfo@budget.example', 'cfo@budget.example', 'cfo@budget.example']);
		expect(sent.every(({ committedAlerts }) => committedAlerts > 0)).toBe(true);
		expect(sent[0].mail.subject).toContain('80 % of the 2026-11 budget');
		expect(sent[0].mail.text).toContain('€850.00');
		const stored = await db.em().fork().find(MailMessageSchema, { clientId: client.id, template: BUDGET_ALERT_TEMPLATE });
		expect(stored.every((mail) => mail.status === 'sent')).toBe(true);

		const events = await db.em().execute<{ rooms: string[] }[]>(`select rooms from outbox where event = 'budget.alert' and payload->>'clientId' = ?`, [client.id]);
		expect(events).toHaveLength(3);
		expect(events[0].rooms).toEqual(expect.arrayContaining([`client:${client.id}`, 'noc']));
	});

	it('fires once per threshold under 20 concurrent evaluations', async () => {
		const client = await clientWithBudget(200_00n, [50, 80, 100]);
		const { mailer, sent } = recordingMailer();
		const results = await Promise.all(
			Array.from({ length: 20 }, () => evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 250_00n, period: '2026-11' }, { mailer }))
		);
		expect(results.flat().map((alert) => alert.threshold).sort((a, b) => a - b)).toEqual([50, 80, 100]);
		expect(await db.em().fork().count(BudgetAlertSchema, { clientId: client.id })).toBe(3);
		const mailCount = results.filter((fired) => fired.length).length * 2;
		expect(sent).toHaveLength(mailCount);
		const [events] = await db.em().execute<{ n: string }[]>(`select count(*) as n from outbox where event = 'budget.alert' and payload->>'clientId' = ?`, [client.id]);
		expect(Number(events.n)).toBe(results.filter((fired) => fired.length).length);
	});

	it('does nothing without a budget and refuses a malformed period', async () => {
		const client = await clientWithBudget(null);
		const { mailer, sent } = recordingMailer();
		expect(await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 10n ** 12n, period: '2026-11' }, { mailer })).toEqual([]);
		expect(sent).toHaveLength(0);
		await expect(evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 1n, period: '2026-13' }, { mailer })).rejects.toThrow(/YYYY-MM/);
	});

	it('lists this period’s alerts on the Billing Setup page, only for the client’s own tenant', async () => {
		const client = await clientWithBudget(100_00n);
		const other = await clientWithBudget(100_00n);
		const period = new Date().toISOString().slice(0, 7);
		const { mailer } = recordingMailer();
		await evaluateBudgetAlerts(db.em(), client.id, { spentThisPeriod: 60_00n, period }, { mailer });
		await evaluateBudgetAlerts(db.em(), other.id, { spentThisPeriod: 100_00n, period }, { mailer });
		const page = await callerFor(db.em(), billing).billingSettings.get({ clientId: client.id });
		expect(page.alerts.map((alert) => alert.threshold)).toEqual([50]);
		const owner = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' }));
		await expect(callerFor(db.em(), owner).billingSettings.get({ clientId: other.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});
});
