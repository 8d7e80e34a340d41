import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const LEDGER_KINDS = ['credit_purchase', 'payment', 'refund', 'credit_applied', 'adjustment'] as const;
export const LEDGER_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export type LedgerKind = (typeof LEDGER_KINDS)[number];
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/**
 * One money movement. `amount` is signed minor units whose sign is the effect on the credit
 * balance; the row is append-only (see the migration's trigger: only a pending row's one-way
 * settlement may change it).
 */
export const LedgerEntrySchema = defineEntity({
	name: 'LedgerEntry',
	tableName: 'ledger_entry',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		clientId: p.uuid(),
		kind: p.enum(LEDGER_KINDS),
		amount: p.bigint('bigint'),
		currency: p.string().length(3),
		gateway: p.string().length(40),
		reference: p.string().length(200).nullable(),
		status: p.enum(LEDGER_STATUSES),
		failureReason: p.text().nullable(),
		/** Why a manual adjustment was made (required for adjustments). */
		reason: p.text().nullable(),
		refundOfId: p.uuid().nullable(),
		createdAt: p.datetime().onCreate(() => new Date()),
		createdByUserId: p.uuid().nullable(),
		createdByName: p.string().length(200),
		settledAt: p.datetime().nullable()
	}
});

export type LedgerEntry = InferEntity<typeof LedgerEntrySchema>;
