import { z } from 'zod';
import { LEDGER_KINDS, LEDGER_STATUSES } from './ledger-entry.entity';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31.');
/** A key the form generates once per form instance (a UUID), so a double submit is one request. */
const idempotencyKey = z.string().trim().min(8).max(200);
const amount = z.string().trim().min(1, 'Enter an amount.').max(40, 'This amount is too large.');

export const ledgerFiltersInput = z.object({
	clientId: z.uuid(),
	kind: z.enum(LEDGER_KINDS).optional(),
	status: z.enum(LEDGER_STATUSES).optional(),
	/** Inclusive UTC days. */
	from: day.optional(),
	to: day.optional()
});
export type LedgerFilters = z.infer<typeof ledgerFiltersInput>;

export const ledgerListInput = ledgerFiltersInput.extend({
	cursor: z.string().max(200).optional(),
	limit: z.number().int().min(1).max(100).default(25)
});

export const buyCreditsInput = z.object({
	clientId: z.uuid(),
	amount,
	cardNumber: z.string().trim().min(1, 'Enter a card number.').max(40),
	idempotencyKey
});

export const offlinePaymentInput = z.object({
	clientId: z.uuid(),
	amount,
	reference: z.string().trim().min(1, 'Enter the payment reference.').max(200),
	idempotencyKey
});

export const adjustmentInput = z.object({
	clientId: z.uuid(),
	amount,
	reason: z.string().trim().min(3, 'Say why the balance is adjusted.').max(500),
	idempotencyKey
});

export const refundInput = z.object({ clientId: z.uuid(), entryId: z.uuid(), idempotencyKey });
