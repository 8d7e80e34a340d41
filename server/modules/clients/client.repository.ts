import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, invalidCursor } from '../../db/keyset-cursor';
import type { ListClientsInput } from './client.schemas';

export interface ClientListItem {
	id: string;
	name: string;
	email: string;
	company: string | null;
	type: string;
	billingType: string;
	currency: string;
	status: string;
	createdAt: Date;
}

// Each expression matches the leading columns of an index in the foundation migration.
const SORT_EXPRESSIONS = { name: 'lower(name)', email: 'lower(email)', createdAt: 'created_at' } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One keyset page of clients in a single query, whatever the page size or depth. */
export async function listClientsPage(em: EntityManager, input: ListClientsInput) {
	const sortExpression = SORT_EXPRESSIONS[input.sort];
	const comparator = input.direction === 'asc' ? '>' : '<';
	const where: string[] = [];
	const params: unknown[] = [];
	if (input.status) {
		where.push('status = ?');
		params.push(input.status);
	}
	if (input.search) {
		const term = input.search.toLowerCase();
		const escaped = term.replace(/[\\%_]/g, '\\$&');
		if (UUID.test(term)) {
			where.push('id = ?');
			params.push(term);
		} else {
			where.push('search_text like ?');
			params.push(`%${escaped}%`);
		}
	}
	if (input.cursor) {
		const [value, id] = decodeCursor(input.cursor, 2);
		// A cursor is client-held text: check its shape so it can never reach SQL as a bad value.
		const validValue = input.sort === 'createdAt' ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) : typeof value === 'string';
		if (typeof id !== 'string' || !UUID.test(id) || !validValue) throw invalidCursor();
		where.push(`(${sortExpression}, id) ${comparator} (?, ?)`);
		params.push(input.sort === 'createdAt' ? new Date(String(value)) : value, id);
	}
	params.push(input.limit + 1);
	const rows: Record<string, unknown>[] = await em.execute(
		`select id, name, email, company, type, billing_type, currency, status, created_at, ${sortExpression} as sort_value
		   from client
		  ${where.length ? 'where ' + where.join(' and ') : ''}
		  order by ${sortExpression} ${input.direction}, id ${input.direction}
		  limit ?`,
		params
	);
	const hasMore = rows.length > input.limit;
	const pageRows = rows.slice(0, input.limit);
	const items: ClientListItem[] = pageRows.map((row) => ({
		id: row.id as string,
		name: row.name as string,
		email: row.email as string,
		company: (row.company as string | null) ?? null,
		type: row.type as string,
		billingType: row.billing_type as string,
		currency: (row.currency as string).trim(),
		status: row.status as string,
		createdAt: new Date(row.created_at as string)
	}));
	const last = pageRows.at(-1);
	const lastSortValue = last?.sort_value instanceof Date ? last.sort_value.toISOString() : (last?.sort_value as string);
	return {
		items,
		nextCursor: hasMore && last ? encodeCursor([lastSortValue, last.id as string]) : null
	};
}
