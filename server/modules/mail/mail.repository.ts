import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor } from '../../db/keyset-cursor';
import { AppError } from '../../errors';
import { MAIL_PAGE_SIZE, type ListMailInput } from './mail.schemas';
import type { MailStatus } from './mail-message.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real UTC instant with microseconds, as the query writes it (an impossible date would make PostgreSQL fail). */
function isCursorTime(value: unknown): value is string {
	if (typeof value !== 'string' || !CURSOR_TIME.test(value)) return false;
	const parsed = Date.parse(value);
	return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 19) === value.slice(0, 19);
}

export interface MailListItem {
	id: string;
	clientId: string | null;
	to: string;
	subject: string;
	template: string;
	status: MailStatus;
	createdAt: Date;
	sentAt: Date | null;
}

/**
 * One keyset page, newest first, in a single query at any depth: the (created_at, id) row
 * comparison walks mail_message_created_idx, or mail_message_client_idx with a client filter.
 */
export async function listMailPage(em: EntityManager, input: ListMailInput) {
	const where: string[] = [];
	const params: unknown[] = [];
	if (input.clientId) {
		where.push('client_id = ?');
		params.push(input.clientId);
	}
	if (input.cursor) {
		const [createdAt, id] = decodeCursor(input.cursor, 2);
		if (!isCursorTime(createdAt) || typeof id !== 'string' || !UUID.test(id)) {
			throw new AppError('BAD_REQUEST', 'That page link is no longer valid; start from the first page.', { cursor: ['Invalid cursor.'] });
		}
		where.push('(created_at, id) < (?::timestamptz, ?::uuid)');
		params.push(createdAt, id);
	}
	params.push(MAIL_PAGE_SIZE + 1);
	const rows: Record<string, unknown>[] = await em.getConnection().execute(
		`select id, client_id, to_address, subject, template, status, created_at, sent_at, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at_key
		   from mail_message
		  ${where.length ? 'where ' + where.join(' and ') : ''}
		  order by created_at desc, id desc
		  limit ?`,
		params
	);
	const pageRows = rows.slice(0, MAIL_PAGE_SIZE);
	const items: MailListItem[] = pageRows.map((row) => ({
		id: row.id as string,
		clientId: (row.client_id as string | null) ?? null,
		to: row.to_address as string,
		subject: row.subject as string,
		template: row.template as string,
		status: row.status as MailStatus,
		createdAt: new Date(row.created_at as string),
		sentAt: row.sent_at ? new Date(row.sent_at as string) : null
	}));
	// The cursor keeps created_at to the microsecond, as PostgreSQL holds it: rounding to a JS Date's milliseconds could skip rows.
	const last = pageRows.at(-1);
	return {
		items,
		nextCursor: rows.length > MAIL_PAGE_SIZE && last ? encodeCursor([last.created_at_key as string, last.id as string]) : null
	};
}

