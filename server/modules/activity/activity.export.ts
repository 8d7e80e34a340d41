import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { can, canReachClient, type Actor } from '../../auth/actor';
import { ClientSchema } from '../clients/client.entity';
import type { ActivityView } from '../../db/mutation';
import { listActivityPage } from './activity.repository';
import { pageInput } from './activity.service';
import { activityFiltersInput, type ActivityFilters } from './activity.schemas';

export const EXPORT_PAGE_SIZE = 1000;

const HEADER = ['time', 'actor', 'as', 'action', 'target type', 'target id', 'summary', 'before', 'after', 'ip', 'user agent'];

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab / carriage return, which some strip
 * first) as a formula; a leading quote makes it text (OWASP "CSV injection").
 */
export function neutralizeFormula(cell: string): string {
	return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function row(entry: ActivityView): string[] {
	// "as": the person really acting when staff signed in as a client user is the impersonator.
	const actor = entry.impersonatorName ?? entry.actorName;
	const as = entry.impersonatorName ? entry.actorName : '';
	return [
		entry.createdAt,
		actor,
		as,
		entry.action,
		entry.targetType,
		entry.targetId ?? '',
		entry.summary,
		entry.before ? JSON.stringify(entry.before) : '',
		entry.after ? JSON.stringify(entry.after) : '',
		entry.ip ?? '',
		entry.userAgent ?? ''
	].map(neutralizeFormula);
}

/**
 * The filtered log as CSV text, one chunk per keyset page (the header rides on the first), so
 * memory holds one page whatever the log's size, and a slow reader pauses the queries.
 */
export async function* activityCsvChunks(em: EntityManager, actor: Actor, filters: ActivityFilters, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string> {
	const input = pageInput(actor, filters);
	let cursor: string | undefined;
	let first = true;
	for (;;) {
		const page = await listActivityPage(em, { ...input, cursor, limit: pageSize });
		yield stringify(page.items.map(row), { header: first, columns: HEADER });
		first = false;
		if (!page.nextCursor) return;
		cursor = page.nextCursor;
	}
}

const notFoundResponse = () =>
	new Response('Client not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/** ASCII file-name part of a client's name ("Acme Corporation" -> "acme-corporation"). */
const fileSlug = (name: string) =>
	name
		.normalize('NFKD')
		// Accents decompose into marks: drop them so "É" stays "e" instead of splitting the word.
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);

/**
 * GET /clients/<id>/activity/export.csv?<the tab's filters>. Without activity.export, or for
 * another tenant's client, the answer is the same 404 as for a client that does not exist.
 */
export async function activityCsvResponse(em: EntityManager, actor: Actor | null, clientId: string, query: URLSearchParams): Promise<Response> {
	if (!actor) return new Response(null, { status: 303, headers: { location: '/login' } });
	if (!can(actor, 'activity.export') || !canReachClient(actor, clientId)) return notFoundResponse();
	const parsed = activityFiltersInput.safeParse({
		clientId,
		...Object.fromEntries(['actorUserId', 'action', 'targetType', 'from', 'to', 'search'].flatMap((key) => (query.get(key) ? [[key, query.get(key)]] : [])))
	});
	if (!parsed.success) {
		if (parsed.error.issues.some((issue) => issue.path[0] === 'clientId')) return notFoundResponse();
		const messages = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'filter')}: ${issue.message}`);
		return new Response(`The export filters need attention.\n${messages.join('\n')}\n`, {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	const client = await em.findOne(ClientSchema, { id: clientId });
	if (!client) return notFoundResponse();

	const chunks = activityCsvChunks(em, actor, parsed.data);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const next = await chunks.next();
				if (next.done) controller.close();
				else controller.enqueue(encoder.encode(next.value));
			} catch (error) {
				console.error('[activity export]', error);
				controller.error(error);
			}
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	const date = new Date().toISOString().slice(0, 10);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename=activity-${fileSlug(client.name) || client.id}-${date}.csv`,
			'cache-control': 'no-store'
		}
	});
}
