import { z } from 'zod';
import { BILLING_TYPES, CLIENT_STATUSES, CLIENT_TYPES } from './client.entity';

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'INR', 'BRL'] as const;

export const CLIENT_SORTS = ['name', 'email', 'createdAt'] as const;

export const listClientsInput = z.object({
	search: z.string().trim().max(200).optional(),
	status: z.enum(CLIENT_STATUSES).optional(),
	sort: z.enum(CLIENT_SORTS).default('name'),
	direction: z.enum(['asc', 'desc']).default('asc'),
	cursor: z.string().max(500).optional(),
	limit: z.number().int().min(1).max(100).default(25)
});
export type ListClientsInput = z.infer<typeof listClientsInput>;

export const createClientInput = z.object({
	name: z.string().trim().min(2, 'Name needs at least 2 characters.').max(200),
	email: z.email('Enter a valid email address.').max(320),
	company: z.string().trim().max(200).optional(),
	type: z.enum(CLIENT_TYPES, 'Choose organization or individual.'),
	billingType: z.enum(BILLING_TYPES, 'Choose prepaid, postpaid or manual.'),
	currency: z.enum(CURRENCIES, 'Choose a supported currency.'),
	sendWelcome: z.boolean().default(false)
});
export type CreateClientInput = z.infer<typeof createClientInput>;

export const setClientStatusInput = z.object({
	clientId: z.uuid(),
	status: z.enum(CLIENT_STATUSES),
	reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(1000)
});
export type SetClientStatusInput = z.infer<typeof setClientStatusInput>;
