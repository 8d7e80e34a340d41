import { TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { BillingSettingsSchema } from './billing-settings.entity';
import { hasCurrencyLockingRows, updateBillingSettings } from './billing-settings.service';
import { updateBillingSettingsInput } from './billing-settings.schemas';
import { ClientSchema } from '../clients/client.entity';
import { ClientCompanySchema } from '../clients/client-company.entity';
import { ActivitySchema } from '../activity/activity.entity';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();
let billing: Actor;

beforeAll(async () => {
	billing = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff', name: 'Bea Billing' }));
});

const form = (clientId: string, overrides: Record<string, unknown> = {}) => ({
	clientId,
	billingType: 'prepaid' as const,
	invoiceLanguage: 'en' as const,
	reminderIntervalDays: 7,
	paymentRetryAttempts: 3,
	currency: 'EUR',
	billingCycle: 'monthly' as const,
	invoiceDay: 1,
	paymentTermsDays: 14,
	taxProfile: 'standard' as const,
	creditLimit: '',
	suspendAfterDays: null,
	terminateAfterDays: null,
	lowBalanceThreshold: '',
	autoApplyCredit: false,
	monthlyBudget: '',
	alertThresholds: [50, 80, 100],
	...overrides
});

async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string[]>> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	const cause = error instanceof TRPCError ? error.cause : error;
	if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors as Record<string, string[]>;
	if (cause instanceof AppError && cause.fieldErrors) return cause.fieldErrors;
	throw new Error(`Expected field errors, got ${String(error)}`);
}

describe('Billing Setup: reading and saving', () => {
	it('creates the row with defaults on first read and keeps client.billing_type as the billing type', async () => {
		const client = await newClient(db.em(), { billingType: 'postpaid', currency: 'USD' });
		const { settings, alerts } = await callerFor(db.em(), billing).billingSettings.get({ clientId: client.id });
		expect(settings).toMatchObject({ billingType: 'postpaid', currency: 'USD', invoiceDay: 1, billingCycle: 'monthly', alertThresholds: [50, 80, 100], monthlyBudget: '' });
		expect(alerts).toEqual([]);
		expect(await db.em().fork().count(BillingSettingsSchema, { clientId: client.id })).toBe(1);
	});

	it('saves every field, amounts as exact minor units, and updates client.billing_type in the same save', async () => {
		const client = await newClient(db.em());
		const saved = await callerFor(db.em(), billing).billingSettings.update(
			form(client.id, { billingType: 'postpaid', creditLimit: '1234.56', lowBalanceThreshold: '10', monthlyBudget: '9999999999999.99', suspendAfterDays: 10, terminateAfterDays: 30, alertThresholds: [100, 25, 80], autoApplyCredit: true, invoiceDay: 28, billingCycle: 'yearly' })
		);
		expect(saved).toMatchObject({ billingType: 'postpaid', creditLimit: '1234.56', lowBalanceThreshold: '10.00', monthlyBudget: '9999999999999.99', alertThresholds: [25, 80, 100] });
		const fork = db.em().fork();
		const row = await fork.findOneOrFail(BillingSettingsSchema, { clientId: client.id });
		expect(row.creditLimit).toBe(123456n);
		expect(row.monthlyBudget).toBe(999999999999999n);
		expect((await fork.findOneOrFail(ClientSchema, { id: client.id })).billingType).toBe('postpaid');
		const [header] = await db.em().execute<{ billing: string }[]>(`select payload->'client'->>'billingType' as billing from outbox where event = 'client.updated' and ? = any(rooms) order by id desc limit 1`, [`client:${client.id}`]);
		expect(header.billing).toBe('postpaid');
	});

	it('reads amounts in the currency being saved (no decimals for JPY)', async () => {
		const client = await newClient(db.em(), { currency: 'JPY' });
		const errors = await fieldErrorsOf(callerFor(db.em(), billing).billingSettings.update(form(client.id, { currency: 'JPY', creditLimit: '10.5' })));
		expect(errors.creditLimit?.[0]).toMatch(/no decimals/);
		const saved = await callerFor(db.em(), billing).billingSettings.update(form(client.id, { currency: 'JPY', creditLimit: '1050' }));
		expect((await db.em().fork().findOneOrFail(BillingSettingsSchema, { clientId: client.id })).creditLimit).toBe(1050n);
		expect(saved.creditLimit).toBe('1050');
	});

	it('writes one activity row with only the changed fields, before and after, and no row when nothing changed', async () => {
		const client = await newClient(db.em());
		const caller = callerFor(db.em(), billing);
		await caller.billingSettings.update(form(client.id, { paymentTermsDays: 30, monthlyBudget: '500' }));
		await caller.billingSettings.update(form(client.id, { paymentTermsDays: 30, monthlyBudget: '500' }));
		const rows = await db.em().fork().find(ActivitySchema, { clientId: client.id, action: 'billing.settings_updated' });
		expect(rows).toHaveLength(1);
		expect(rows[0].before).toEqual({ paymentTermsDays: 14, monthlyBudget: '' });
		expect(rows[0].after).toEqual({ paymentTermsDays: 30, monthlyBudget: '500.00' });
		expect(rows[0].actorName).toBe('Bea Billing');
		const [event] = await db.em().execute<{ n: string }[]>(`select count(*) as n from outbox where event = 'billing.settings_updated' and ? = any(rooms)`, [`client:${client.id}`]);
		expect(Number(event.n)).toBe(1);
	});
});

describe('Billing Setup: validation', () => {
	it.each([
		[{ invoiceDay: 29 }, 'invoiceDay'],
		[{ invoiceDay: 0 }, 'invoiceDay'],
		[{ reminderIntervalDays: 0 }, 'reminderIntervalDays'],
		[{ paymentRetryAttempts: 11 }, 'paymentRetryAttempts'],
		[{ paymentTermsDays: 1.5 }, 'paymentTermsDays'],
		[{ currency: 'XYZ' }, 'currency'],
		[{ billingType: 'barter' }, 'billingType'],
		[{ suspendAfterDays: 10, terminateAfterDays: 10 }, 'terminateAfterDays'],
		[{ suspendAfterDays: 30, terminateAfterDays: 5 }, 'terminateAfterDays'],
		[{ alertThresholds: [] }, 'alertThresholds'],
		[{ alertThresholds: [10, 20, 30, 40, 50, 60] }, 'alertThresholds'],
		[{ alertThresholds: [50, 50] }, 'alertThresholds'],
		[{ alertThresholds: [0] }, 'alertThresholds'],
		[{ alertThresholds: [201] }, 'alertThresholds']
	])('refuses %o on %s', async (overrides, field) => {
		const client = await newClient(db.em());
		const errors = await fieldErrorsOf(callerFor(db.em(), billing).billingSettings.update(form(client.id, overrides)));
		expect(Object.keys(errors)).toEqual([field]);
	});

	it('accepts M > N and either one alone', () => {
		const id = '00000000-0000-4000-8000-000000000000';
		expect(updateBillingSettingsInput.safeParse(form(id, { suspendAfterDays: 10, terminateAfterDays: 11 })).success).toBe(true);
		expect(updateBillingSettingsInput.safeParse(form(id, { suspendAfterDays: null, terminateAfterDays: 5 })).success).toBe(true);
		expect(updateBillingSettingsInput.safeParse(form(id, { suspendAfterDays: 5, terminateAfterDays: null })).success).toBe(true);
	});

	it.each([
		['abc', 'creditLimit'],
		['-5', 'creditLimit'],
		['1.234', 'lowBalanceThreshold'],
		['0', 'monthlyBudget'],
		['1e6', 'monthlyBudget'],
		['1,000', 'creditLimit']
	])('refuses the amount "%s" in %s and writes nothing', async (text, field) => {
		const client = await newClient(db.em());
		await callerFor(db.em(), billing).billingSettings.get({ clientId: client.id });
		const errors = await fieldErrorsOf(callerFor(db.em(), billing).billingSettings.update(form(client.id, { [field]: text, paymentTermsDays: 60 })));
		expect(Object.keys(errors)).toEqual([field]);
		expect((await db.em().fork().findOneOrFail(BillingSettingsSchema, { clientId: client.id })).paymentTermsDays).toBe(14);
	});

	it('allows Exempt only when Company Details record a tax exemption, and requires it then', async () => {
		const client = await newClient(db.em());
		const caller = callerFor(db.em(), billing);
		expect(Object.keys(await fieldErrorsOf(caller.billingSettings.update(form(client.id, { taxProfile: 'exempt' }))))).toEqual(['taxProfile']);
		const em = db.em();
		em.create(ClientCompanySchema, { clientId: client.id, taxExempt: true, taxExemptReason: 'Registered charity', billingEmails: [], updatedAt: new Date() });
		await em.flush();
		expect(Object.keys(await fieldErrorsOf(caller.billingSettings.update(form(client.id, { taxProfile: 'standard' }))))).toEqual(['taxProfile']);
		expect((await caller.billingSettings.update(form(client.id, { taxProfile: 'exempt' }))).taxProfile).toBe('exempt');
	});

	it('changes the currency freely while nothing pins it', async () => {
		const client = await newClient(db.em());
		expect((await callerFor(db.em(), billing).billingSettings.update(form(client.id, { currency: 'usd' }))).currency).toBe('USD');
	});

	it('locks the currency once a row of a locking table belongs to the client (tables that do not exist are skipped)', async () => {
		const table = `currency_lock_probe_${uniqueSuffix()}`;
		await db.em().execute(`create table ${table} (client_id uuid not null)`);
		try {
			const client = await newClient(db.em());
			const other = await newClient(db.em());
			await db.em().execute(`insert into ${table} (client_id) values (?)`, [other.id]);
			const tables = ['no_such_table_here', table];
			expect(await hasCurrencyLockingRows(db.em(), client.id, tables)).toBe(false);
			await db.em().execute(`insert into ${table} (client_id) values (?)`, [client.id]);
			expect(await hasCurrencyLockingRows(db.em(), client.id, tables)).toBe(true);
			const refused = updateBillingSettings(db.em(), billing, updateBillingSettingsInput.parse(form(client.id, { currency: 'USD' })), tables);
			expect(Object.keys(await fieldErrorsOf(refused))).toEqual(['currency']);
			// Other settings still save while the currency stays.
			expect((await updateBillingSettings(db.em(), billing, updateBillingSettingsInput.parse(form(client.id, { paymentTermsDays: 45 })), tables)).paymentTermsDays).toBe(45);
		} finally {
			await db.em().execute(`drop table ${table}`);
		}
	});

	it('locks the currency once the client has a ledger entry, when the ledger is migrated in this build', async () => {
		const client = await newClient(db.em());
		const [ledger] = await db.em().execute<{ name: string | null }[]>(`select to_regclass('public.ledger_entry')::text as name`);
		if (!ledger.name) {
			// Without the ledger table nothing can pin the currency yet.
			expect((await callerFor(db.em(), billing).billingSettings.update(form(client.id, { currency: 'GBP' }))).currency).toBe('GBP');
			return;
		}
		await db.em().execute(
			`insert into ledger_entry (id, client_id, kind, amount, currency, gateway, status, reason, created_at, created_by_name, settled_at)
			 values (gen_random_uuid(), ?, 'adjustment', 100, 'EUR', 'manual', 'succeeded', 'currency lock test', now(), 'Test', now())`,
			[client.id]
		);
		expect(Object.keys(await fieldErrorsOf(callerFor(db.em(), billing).billingSettings.update(form(client.id, { currency: 'GBP' }))))).toEqual(['currency']);
	});
});

describe('Billing Setup: access', () => {
	it('answers NOT_FOUND to another tenant and refuses edits without billing.manage', async () => {
		const acme = await newClient(db.em());
		const other = await newClient(db.em());
		const owner = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: acme.id, roleKey: 'owner' }));
		const reader = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: acme.id, permissions: ['summary.read', 'billing.read'] }));
		await expect(callerFor(db.em(), owner).billingSettings.get({ clientId: other.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(callerFor(db.em(), owner).billingSettings.update(form(other.id))).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect((await callerFor(db.em(), reader).billingSettings.get({ clientId: acme.id })).settings.clientId).toBe(acme.id);
		await expect(callerFor(db.em(), reader).billingSettings.update(form(acme.id, { paymentTermsDays: 30 }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect((await callerFor(db.em(), owner).billingSettings.update(form(acme.id, { paymentTermsDays: 30 }))).paymentTermsDays).toBe(30);
	});
});
