import { z } from 'zod';
import { addressFields, optionalText } from './profile.schemas';

export const MAX_BILLING_EMAILS = 5;

const billingEmail = z.email();

export const updateCompanyInput = z
	.object({
		clientId: z.uuid(),
		companyName: optionalText(200, 'Keep the company name under 200 characters.'),
		...addressFields,
		/** As typed; stored E.164, read with the billing country as default region. */
		billingPhone: optionalText(40, 'Enter a valid phone number, e.g. +44 20 7946 0958.'),
		/** As typed; the service normalises it and checks it against the billing country. */
		vatId: optionalText(40, 'Enter a valid VAT id.'),
		taxExempt: z.boolean(),
		taxExemptReason: optionalText(1000, 'Keep the reason under 1000 characters.'),
		billingEmails: z
			.array(z.string().trim().toLowerCase().max(320))
			.transform((emails) => [...new Set(emails.filter(Boolean))])
			.superRefine((emails, context) => {
				if (!emails.length) context.addIssue({ code: 'custom', message: 'Give at least one billing email.' });
				if (emails.length > MAX_BILLING_EMAILS) context.addIssue({ code: 'custom', message: `Give at most ${MAX_BILLING_EMAILS} billing emails.` });
				const invalid = emails.find((email) => !billingEmail.safeParse(email).success);
				if (invalid) context.addIssue({ code: 'custom', message: `“${invalid}” is not a valid email address.` });
			})
	})
	.superRefine((input, context) => {
		if (input.taxExempt && (!input.taxExemptReason || input.taxExemptReason.length < 3)) {
			context.addIssue({ code: 'custom', path: ['taxExemptReason'], message: 'Give the reason for the exemption (at least 3 characters).' });
		}
	});
export type UpdateCompanyInput = z.input<typeof updateCompanyInput>;
export type UpdateCompanyValues = z.output<typeof updateCompanyInput>;
