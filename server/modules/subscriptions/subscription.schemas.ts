import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from './subscription.entity';
import { BILLING_CYCLES } from '../catalog/catalog.entity';

/** "12.5" → 1250 basis points, read from the text without floating point. */
const percentToBp = (text: string): number | null => {
	const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
	if (!match) return null;
	const bp = Number.parseInt(match[1], 10) * 100 + Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10);
	return bp <= 10_000 ? bp : null;
};

const whole = (max: number, message: string) => z.coerce.number(message).int(message).min(0, message).max(max, message);

export const createSubscriptionInput = z.object({
	clientId: z.uuid(),
	productId: z.uuid('Choose a plan.'),
	billingCycle: z.enum(BILLING_CYCLES, 'Choose hourly usage, monthly or yearly.'),
	quantity: z.coerce.number('Enter a quantity from 1 to 10,000.').int('Enter a whole quantity.').min(1, 'Enter a quantity from 1 to 10,000.').max(10_000, 'Enter a quantity from 1 to 10,000.'),
	discountPercent: z
		.string()
		.trim()
		.default('0')
		.transform((text, context) => {
			const bp = percentToBp(text || '0');
			if (bp === null) {
				context.addIssue({ code: 'custom', message: 'Enter a discount from 0 to 100 %, with at most two decimals.' });
				return z.NEVER;
			}
			return bp;
		}),
	trialDays: whole(365, 'Enter 0 to 365 trial days.').default(0),
	minimumTermMonths: whole(120, 'Enter a minimum term of 0 to 120 months.').default(0),
	noticeDays: whole(365, 'Enter a notice period of 0 to 365 days.').default(0)
});
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionInput>;

export const listSubscriptionsInput = z.object({
	clientId: z.uuid(),
	status: z.enum(SUBSCRIPTION_STATUSES).optional(),
	productId: z.uuid().optional(),
	/** Keyset cursor: the last row's created_at and id. */
	cursor: z.string().max(200).optional()
});
export type ListSubscriptionsInput = z.infer<typeof listSubscriptionsInput>;

export const subscriptionRef = z.object({ clientId: z.uuid(), subscriptionId: z.uuid() });

export const cancelSubscriptionInput = subscriptionRef.extend({ when: z.enum(['now', 'period_end'], 'Choose now or at the end of the period.') });

export const changePlanInput = subscriptionRef.extend({
	productId: z.uuid('Choose a plan.'),
	quantity: z.coerce.number('Enter a quantity from 1 to 10,000.').int('Enter a whole quantity.').min(1, 'Enter a quantity from 1 to 10,000.').max(10_000, 'Enter a quantity from 1 to 10,000.')
});
export type ChangePlanInput = z.infer<typeof changePlanInput>;

/** The confirm step repeats the preview's moment and figures; the server recomputes and compares. */
export const confirmChangeInput = changePlanInput.extend({
	changeAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
	version: z.number().int(),
	credit: z.string().regex(/^\d+$/),
	charge: z.string().regex(/^\d+$/)
});
export type ConfirmChangeInput = z.infer<typeof confirmChangeInput>;
