import { z } from 'zod';
import { BILLING_TYPES } from '../clients/client.entity';
import { BILLING_CYCLES, TAX_PROFILES } from './billing-settings.entity';

export const INVOICE_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl'] as const;
export type InvoiceLanguage = (typeof INVOICE_LANGUAGES)[number];
export const MAX_ALERT_THRESHOLDS = 5;

export const billingSettingsInput = z.object({ clientId: z.uuid() });

const wholeDays = (min: number, max: number, what: string) =>
	z.number({ error: `Enter ${what} as a whole number.` }).int(`Enter ${what} as a whole number.`).min(min, `${what[0].toUpperCase()}${what.slice(1)} must be at least ${min}.`).max(max, `${what[0].toUpperCase()}${what.slice(1)} must be at most ${max}.`);

/** Amounts arrive as the decimal text typed in the form ('' = not set); the service parses them in the client's currency. */
const amountText = z.string().trim().max(40, 'That amount is too long.');

export const alertThresholds = z
	.array(z.number().int('Thresholds are whole percentages.').min(1, 'A threshold is at least 1 %.').max(200, 'A threshold is at most 200 %.'))
	.min(1, 'Keep at least one alert threshold.')
	.max(MAX_ALERT_THRESHOLDS, `Use at most ${MAX_ALERT_THRESHOLDS} alert thresholds.`)
	.refine((values) => new Set(values).size === values.length, 'Each threshold may appear once.')
	.transform((values) => [...values].sort((a, b) => a - b));

export const updateBillingSettingsInput = z
	.object({
		clientId: z.uuid(),
		billingType: z.enum(BILLING_TYPES, 'Choose prepaid credits, postpaid or manual.'),
		invoiceLanguage: z.enum(INVOICE_LANGUAGES, 'Choose an invoice language.'),
		reminderIntervalDays: wholeDays(1, 90, 'the reminder interval'),
		paymentRetryAttempts: wholeDays(0, 10, 'the number of retry attempts'),
		currency: z
			.string()
			.trim()
			.toUpperCase()
			.refine((code) => Intl.supportedValuesOf('currency').includes(code), 'Choose an ISO 4217 currency, e.g. EUR.'),
		billingCycle: z.enum(BILLING_CYCLES, 'Choose monthly or yearly.'),
		invoiceDay: wholeDays(1, 28, 'the invoice day'),
		paymentTermsDays: wholeDays(0, 120, 'the payment terms'),
		taxProfile: z.enum(TAX_PROFILES, 'Choose a tax profile.'),
		creditLimit: amountText,
		suspendAfterDays: wholeDays(1, 365, 'the suspension delay').nullable(),
		terminateAfterDays: wholeDays(1, 730, 'the termination delay').nullable(),
		lowBalanceThreshold: amountText,
		autoApplyCredit: z.boolean(),
		monthlyBudget: amountText,
		alertThresholds
	})
	.superRefine((input, context) => {
		if (input.terminateAfterDays !== null && input.suspendAfterDays !== null && input.terminateAfterDays <= input.suspendAfterDays) {
			context.addIssue({ code: 'custom', path: ['terminateAfterDays'], message: 'Terminate later than the suspension: more days overdue than the suspension delay.' });
		}
	});
export type UpdateBillingSettingsInput = z.input<typeof updateBillingSettingsInput>;
export type UpdateBillingSettingsValues = z.output<typeof updateBillingSettingsInput>;
