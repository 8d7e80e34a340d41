import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BillingSettingsSchema, type BillingCycle, type BillingSettings, type TaxProfile } from './billing-settings.entity';
import { parseAmount, toDecimalString } from './money';
import type { InvoiceLanguage, UpdateBillingSettingsValues } from './billing-settings.schemas';
import { ClientSchema, type Client } from '../clients/client.entity';
import { getClient, toClientHeader } from '../clients/client.service';
import { getCompanySnapshot } from '../clients/company.service';
import { diffFields, mutate, type OutboxEvent } from '../../db/mutation';
import { AppError } from '../../errors';
import type { Actor } from '../../auth/actor';

/** What Billing Setup shows and saves; amounts as decimal text in the client's currency ('' = not set). */
export interface BillingSettingsView {
	clientId: string;
	billingType: Client['billingType'];
	invoiceLanguage: InvoiceLanguage;
	reminderIntervalDays: number;
	paymentRetryAttempts: number;
	currency: string;
	billingCycle: BillingCycle;
	invoiceDay: number;
	paymentTermsDays: number;
	taxProfile: TaxProfile;
	creditLimit: string;
	suspendAfterDays: number | null;
	terminateAfterDays: number | null;
	lowBalanceThreshold: string;
	autoApplyCredit: boolean;
	monthlyBudget: string;
	alertThresholds: number[];
}

type SettingsFields = Omit<BillingSettingsView, 'clientId'>;

/**
 * Tables whose rows pin a client's currency. They belong to other modules that may not be
 * migrated yet in this build, so each is looked up with to_regclass at run time and skipped
 * when absent.
 */
export const CURRENCY_LOCKING_TABLES = ['ledger_entry', 'subscription'] as const;

const amount = (minor: bigint | null | undefined, currency: string) => (minor === null || minor === undefined ? '' : toDecimalString(minor, currency));

export function toBillingSettingsView(client: Client, settings: BillingSettings): BillingSettingsView {
	const currency = client.currency.trim();
	return {
		clientId: client.id,
		billingType: client.billingType,
		// The column's values are written only through the schema's list.
		invoiceLanguage: settings.invoiceLanguage.trim() as InvoiceLanguage,
		reminderIntervalDays: settings.reminderIntervalDays,
		paymentRetryAttempts: settings.paymentRetryAttempts,
		currency,
		billingCycle: settings.billingCycle,
		invoiceDay: settings.invoiceDay,
		paymentTermsDays: settings.paymentTermsDays,
		taxProfile: settings.taxProfile,
		creditLimit: amount(settings.creditLimit, currency),
		suspendAfterDays: settings.suspendAfterDays ?? null,
		terminateAfterDays: settings.terminateAfterDays ?? null,
		lowBalanceThreshold: amount(settings.lowBalanceThreshold, currency),
		autoApplyCredit: settings.autoApplyCredit,
		monthlyBudget: amount(settings.monthlyBudget, currency),
		alertThresholds: [...settings.alertThresholds]
	};
}

/** The client's settings row, created with the column defaults the first time anyone asks. */
export async function loadBillingSettings(em: EntityManager, clientId: string, lock = false): Promise<BillingSettings> {
	await em.execute('insert into billing_settings (client_id) values (?) on conflict (client_id) do nothing', [clientId]);
	return em.findOneOrFail(BillingSettingsSchema, { clientId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : { refresh: true });
}

export async function getBillingSettings(em: EntityManager, actor: Actor, clientId: string): Promise<BillingSettingsView> {
	const client = await getClient(em, actor, clientId);
	return toBillingSettingsView(client, await loadBillingSettings(em, clientId));
}

/** Whether any row in the given tables (those that exist) belongs to the client. */
export async function hasCurrencyLockingRows(em: EntityManager, clientId: string, tables: readonly string[] = CURRENCY_LOCKING_TABLES): Promise<boolean> {
	for (const table of tables) {
		const [found] = await em.execute<{ name: string | null }[]>('select to_regclass(?)::text as name', [`public.${table}`]);
		if (!found?.name) continue;
		// The name comes from the list above (or a test's own table), never from a request.
		const [row] = await em.execute<{ used: boolean }[]>(`select exists (select 1 from "${table}" where client_id = ?) as used`, [clientId]);
		if (row?.used) return true;
	}
	return false;
}

/** The three amounts in minor units, or every amount's field error at once (money.ts words them). */
function parseAmounts(input: UpdateBillingSettingsValues, currency: string) {
	const errors: Record<string, string[]> = {};
	const parse = (field: 'creditLimit' | 'lowBalanceThreshold' | 'monthlyBudget', allowZero: boolean): bigint | null => {
		if (!input[field]) return null;
		try {
			return parseAmount(input[field], currency, { field, allowZero });
		} catch (error) {
			if (!(error instanceof AppError) || !error.fieldErrors) throw error;
			Object.assign(errors, error.fieldErrors);
			return null;
		}
	};
	// A zero budget would make every threshold fire at once: no budget is an empty field.
	const result = { creditLimit: parse('creditLimit', true), lowBalanceThreshold: parse('lowBalanceThreshold', true), monthlyBudget: parse('monthlyBudget', false) };
	return { result, errors };
}

/** Saves Billing Setup; unchanged values write nothing. Every rule is checked before anything is written. */
export async function updateBillingSettings(
	em: EntityManager,
	actor: Actor,
	input: UpdateBillingSettingsValues,
	lockingTables: readonly string[] = CURRENCY_LOCKING_TABLES
): Promise<BillingSettingsView> {
	await getClient(em, actor, input.clientId);
	return mutate(em, actor, async (tx) => {
		const client = await tx.findOneOrFail(ClientSchema, { id: input.clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		const settings = await loadBillingSettings(tx, client.id, true);
		const before = toBillingSettingsView(client, settings);
		const errors: Record<string, string[]> = {};
		// Amounts are read in the currency being saved: it is the one they will be charged in.
		const amounts = parseAmounts(input, input.currency);
		Object.assign(errors, amounts.errors);
		if (input.currency !== before.currency && (await hasCurrencyLockingRows(tx, client.id, lockingTables))) {
			errors.currency = ['The currency cannot change once the client has transactions or subscriptions.'];
		}
		const company = await getCompanySnapshot(tx, client.id);
		if (input.taxProfile === 'exempt' && !company.taxExempt) {
			errors.taxProfile = ['Exempt needs a tax exemption in Company Details first.'];
		} else if (input.taxProfile !== 'exempt' && company.taxExempt) {
			errors.taxProfile = ['Company Details say this client is exempt from tax: choose Exempt, or remove the exemption there.'];
		}
		if (Object.keys(errors).length) throw new AppError('BAD_REQUEST', 'Some fields need attention.', errors);

		const { clientId: _clientId, ...fields } = input;
		const next: SettingsFields = {
			...fields,
			creditLimit: amount(amounts.result.creditLimit, input.currency),
			lowBalanceThreshold: amount(amounts.result.lowBalanceThreshold, input.currency),
			monthlyBudget: amount(amounts.result.monthlyBudget, input.currency)
		};
		const { clientId: _id, ...current } = before;
		const diff = diffFields(current, next);
		if (!diff) return { result: before, activity: [] };
		client.billingType = input.billingType;
		client.currency = input.currency;
		Object.assign(settings, {
			invoiceLanguage: input.invoiceLanguage,
			reminderIntervalDays: input.reminderIntervalDays,
			paymentRetryAttempts: input.paymentRetryAttempts,
			billingCycle: input.billingCycle,
			invoiceDay: input.invoiceDay,
			paymentTermsDays: input.paymentTermsDays,
			taxProfile: input.taxProfile,
			creditLimit: amounts.result.creditLimit,
			suspendAfterDays: input.suspendAfterDays,
			terminateAfterDays: input.terminateAfterDays,
			lowBalanceThreshold: amounts.result.lowBalanceThreshold,
			autoApplyCredit: input.autoApplyCredit,
			monthlyBudget: amounts.result.monthlyBudget,
			alertThresholds: input.alertThresholds
		});
		const view = toBillingSettingsView(client, settings);
		const events: OutboxEvent[] = [{ event: 'billing.settings_updated', rooms: [`client:${client.id}`], payload: { settings: view } }];
		// The billing type and currency are in the workspace header and the client list.
		if ('billingType' in diff.after || 'currency' in diff.after) {
			events.push({ event: 'client.updated', rooms: [`client:${client.id}`, 'staff'], payload: { client: toClientHeader(client) } });
		}
		return {
			result: view,
			activity: {
				clientId: client.id,
				action: 'billing.settings_updated',
				targetType: 'client',
				targetId: client.id,
				summary: `Updated billing setup: ${Object.keys(diff.after).map(fieldLabel).join(', ')}`,
				before: diff.before,
				after: diff.after
			},
			events
		};
	});
}

const FIELD_LABELS: Record<string, string> = {
	billingType: 'billing type',
	invoiceLanguage: 'invoice language',
	reminderIntervalDays: 'reminder interval',
	paymentRetryAttempts: 'payment retry attempts',
	currency: 'currency',
	billingCycle: 'billing cycle',
	invoiceDay: 'invoice day',
	paymentTermsDays: 'payment terms',
	taxProfile: 'tax profile',
	creditLimit: 'credit limit',
	suspendAfterDays: 'auto-suspend',
	terminateAfterDays: 'auto-terminate',
	lowBalanceThreshold: 'low-balance threshold',
	autoApplyCredit: 'automatic use of credit',
	monthlyBudget: 'monthly budget',
	alertThresholds: 'budget alert thresholds'
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key;
