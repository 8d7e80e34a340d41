import { z } from 'zod';
import { BILLING_CYCLES, PRODUCT_KINDS, TAX_CLASSES } from './catalog.entity';
import { isCurrencyCode, parseMinor } from './catalog-money';

/** A price as typed in the form: the amount stays decimal text until it is parsed for its currency. */
const priceInput = z.object({
	billingCycle: z.enum(BILLING_CYCLES, 'Choose hourly usage, monthly or yearly.'),
	currency: z
		.string()
		.trim()
		.toUpperCase()
		.refine(isCurrencyCode, 'Enter an ISO 4217 currency code such as EUR.'),
	amount: z.string().trim().min(1, 'Enter an amount.').max(30, 'Enter a shorter amount.')
});

export const productInput = z
	.object({
		kind: z.enum(PRODUCT_KINDS, 'Choose plan, add-on, licence or tool.'),
		name: z.string().trim().min(2, 'Give a name of at least 2 characters.').max(120, 'Keep the name under 120 characters.'),
		description: z.string().trim().max(2000, 'Keep the description under 2,000 characters.').default(''),
		taxClass: z.enum(TAX_CLASSES, 'Choose standard, reduced or exempt.'),
		active: z.boolean().default(true),
		prices: z.array(priceInput).min(1, 'Give at least one price.').max(30, 'Give at most 30 prices.')
	})
	.superRefine((input, context) => {
		const seen = new Set<string>();
		input.prices.forEach((price, index) => {
			const key = `${price.billingCycle}:${price.currency}`;
			if (seen.has(key)) {
				context.addIssue({ code: 'custom', path: ['prices', index, 'currency'], message: `Price ${index + 1}: this cycle already has a price in ${price.currency}.` });
			}
			seen.add(key);
			if (isCurrencyCode(price.currency) && parseMinor(price.amount, price.currency) === null) {
				context.addIssue({
					code: 'custom',
					path: ['prices', index, 'amount'],
					message: `Price ${index + 1}: enter a non-negative amount like 12.34 with the decimals ${price.currency} allows.`
				});
			}
		});
	});
export type ProductInput = z.infer<typeof productInput>;

export const updateProductInput = z.object({ id: z.uuid() }).and(productInput);
export type UpdateProductInput = z.infer<typeof updateProductInput>;

export const listProductsInput = z.object({
	kind: z.enum(PRODUCT_KINDS).optional(),
	includeInactive: z.boolean().default(true)
});
export type ListProductsInput = z.infer<typeof listProductsInput>;
