import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { can, canReachClient, type Actor } from '../../auth/actor';
import { ClientSchema } from '../clients/client.entity';
import { neutralizeFormula } from '../activity/activity.export';
import { toDecimalString } from '../billing/money';
import { listLedgerPage, type LedgerEntryView } from './ledger.repository';
import { ledgerFiltersInput, type LedgerFilters } from './ledger.schemas';

export const EXPORT_PAGE_SIZE = 1000;

const HEADER = ['time', 'type', 'gateway', 'reference', 'amount', 'currency', 'status', 'failure reason', 'reason', 'by', 'id'];

function row(entry: LedgerEntryView): string[] {
	return [
		entry.createdAt,
		entry.kind,
		entry.gateway,
		entry.reference ?? '',
		// The exact decimal ("-12.30"), which spreadsheets read as a number without float loss on the way.
		toDecimalString(entry.amount, entry.currency),
		entry.currency,
		entry.status,
		entry.failureReason ?? '',
		entry.reason ?? '',
		entry.createdByName,
		entry.id
	].map((cell, index) => (index === 4 ? cell : neutralizeFormula(cell)));
}

/** The filtered ledger as CSV, one chunk per keyset page: memory holds one page whatever the size. */
export async function* ledgerCsvChunks(em: EntityManager, filters: LedgerFilters, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string> {
	let cursor: string | undefined;
	let first = true;
	for (;;) {
		const page = await listLedgerPage(em, { ...filters, cursor, limit: pageSize });
		yield stringify(page.items.map(row), { header: first, columns: HEADER });
		first = false;
		if (!page.nextCursor) return;
		cursor = page.nextCursor;
	}
}

const notFoundResponse = () => new Response('Client not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * GET /clients/<id>/transactions/export.csv?<the tab's filters>. Without transactions.read, or
 * for another tenant's client, the same 404 as for a client that does not exist.
 */
export async function ledgerCsvResponse(em: EntityManager, actor: Actor | null, clientId: string, query: URLSearchParams): Promise<Response> {
	if (!actor) return new Response(null, { status: 303, headers: { location: '/login' } });
	if (!can(actor, 'transactions.read') || !canReachClient(actor, clientId)) return notFoundResponse();
	const parsed = ledgerFiltersInput.safeParse({
		clientId,
		kind: query.get('kind') || undefined,
		status: query.get('status') || undefined,
		from: query.get('from') || undefined,
		to: query.get('to') || undefined
	});
	if (!parsed.success) return new Response('Invalid filters', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	const client = await em.findOne(ClientSchema, { id: clientId });
	if (!client) return notFoundResponse();
	const chunks = ledgerCsvChunks(em, parsed.data);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await chunks.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="transactions-${client.id}.csv"`,
			'cache-control': 'no-store'
		}
	});
}
