import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, invalidCursor } from '../../db/keyset-cursor';
import type { LedgerKind, LedgerStatus } from './ledger-entry.entity';
import type { LedgerFilters } from './ledger.schemas';

export interface LedgerEntryView {
	id: string;
	kind: LedgerKind;
	amount: bigint;
	currency: string;
	gateway: string;
	reference: string | null;
	status: LedgerStatus;
	failureReason: string | null;
	reason: string | null;
	refundOfId: string | null;
	/** Whether a refund (not failed) already points at this entry. */
	refunded: boolean;
	createdAt: string;
	createdByName: string;
}

interface Row {
	id: string;
	kind: LedgerKind;
	amount: string;
	currency: string;
	gateway: string;
	reference: string | null;
	status: LedgerStatus;
	failure_reason: string | null;
	reason: string | null;
	refund_of_id: string | null;
	refunded: boolean;
	created_at: Date;
	created_by_name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * One page of a client's ledger, newest first, keyset on (created_at, id) so it uses the
 * (client_id[, kind | status], created_at desc, id desc) indexes whatever the page.
 */
export async function listLedgerPage(em: EntityManager, filters: LedgerFilters & { cursor?: string; limit: number }): Promise<{ items: LedgerEntryView[]; nextCursor: string | null }> {
	const where = ['e.client_id = ?'];
	const params: unknown[] = [filters.clientId];
	if (filters.kind) {
		where.push('e.kind = ?');
		params.push(filters.kind);
	}
	if (filters.status) {
		where.push('e.status = ?');
		params.push(filters.status);
	}
	if (filters.from) {
		where.push(`e.created_at >= ?::date`);
		params.push(filters.from);
	}
	if (filters.to) {
		where.push(`e.created_at < ?::date + 1`);
		params.push(filters.to);
	}
	if (filters.cursor) {
		const [at, id] = decodeCursor(filters.cursor, 2);
		if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id) || Number.isNaN(Date.parse(at))) throw invalidCursor();
		where.push('(e.created_at, e.id) < (?::timestamptz, ?::uuid)');
		params.push(at, id);
	}
	const rows = await em.execute<Row[]>(
		`select e.id, e.kind, e.amount::text as amount, e.currency, e.gateway, e.reference, e.status, e.failure_reason, e.reason, e.refund_of_id,
		        e.created_at, e.created_by_name,
		        exists (select 1 from ledger_entry r where r.refund_of_id = e.id and r.status <> 'failed') as refunded
		   from ledger_entry e
		  where ${where.join(' and ')}
		  order by e.created_at desc, e.id desc
		  limit ?`,
		[...params, filters.limit + 1]
	);
	const page = rows.slice(0, filters.limit);
	const last = page.at(-1);
	return {
		items: page.map((row) => ({
			id: row.id,
			kind: row.kind,
			amount: BigInt(row.amount),
			currency: row.currency.trim(),
			gateway: row.gateway,
			reference: row.reference,
			status: row.status,
			failureReason: row.failure_reason,
			reason: row.reason,
			refundOfId: row.refund_of_id,
			refunded: row.refunded,
			createdAt: new Date(row.created_at).toISOString(),
			createdByName: row.created_by_name
		})),
		nextCursor: rows.length > filters.limit && last ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null
	};
}
