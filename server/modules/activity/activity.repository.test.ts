import type { MikroORM } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import { listActivityPage, type ActivityPageInput } from './activity.repository';
import { ActivitySchema } from './activity.entity';
import { serializeActivity } from '../../db/mutation';
import { encodeCursor } from '../../db/keyset-cursor';
import { AppError } from '../../errors';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { newClient } from '../../../tests/integration/factories';

const db = await useTestDatabase();
const ACTIONS = ['ticket.replied', 'invoice.paid', 'client.updated'];

let busyClientId: string;
let quietClientId: string;

beforeAll(async () => {
	const em = db.em();
	busyClientId = (await newClient(em)).id;
	quietClientId = (await newClient(em)).id;
	// Interleaved, as real logs are: the busy client's rows are spread between the quiet one's.
	for (let index = 0; index < 40; index++) {
		em.create(ActivitySchema, {
			clientId: index % 4 === 3 ? quietClientId : busyClientId,
			actorUserId: null,
			actorName: 'Sam Support',
			actorKind: 'staff',
			action: ACTIONS[index % ACTIONS.length],
			targetType: 'ticket',
			targetId: `T-${index}`,
			summary: `Entry ${index}`,
			before: index % 5 === 0 ? { status: 'open' } : null,
			after: index % 5 === 0 ? { status: 'answered', tags: ['a', 'b'] } : null,
			staffOnly: index % 6 === 0,
			ip: '203.0.113.7',
			userAgent: 'vitest',
			createdAt: new Date(Date.parse('2026-03-01T00:00:00Z') + index * 1000)
		});
	}
	await em.flush();
});

/** Follows nextCursor to the end, as "Load more" does. */
async function allPages(input: Omit<ActivityPageInput, 'cursor' | 'limit'>, limit: number) {
	const ids: string[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 50; page++) {
		const result = await listActivityPage(db.em(), { ...input, cursor, limit });
		expect(result.items.length).toBeLessThanOrEqual(limit);
		ids.push(...result.items.map((item) => item.id));
		if (!result.nextCursor) return ids;
		cursor = result.nextCursor;
	}
	throw new Error('The cursor never reached the last page.');
}

async function expectedIds(where: string, params: unknown[]): Promise<string[]> {
	const rows: { id: string }[] = await db.em().getConnection().execute(`select id from activity where ${where} order by id desc`, params);
	return rows.map((row) => String(row.id));
}

describe('listActivityPage', () => {
	it("pages through one client's log newest first, every entry exactly once", async () => {
		const ids = await allPages({ clientId: busyClientId, hideStaffOnly: false }, 4);
		expect(ids).toEqual(await expectedIds('client_id = ?', [busyClientId]));
		expect(ids).toHaveLength(30);
	});

	it('keeps to one action, and hides staff-only entries from the client itself', async () => {
		const replies = await allPages({ clientId: busyClientId, action: 'ticket.replied', hideStaffOnly: false }, 3);
		expect(replies).toEqual(await expectedIds('client_id = ? and action = ?', [busyClientId, 'ticket.replied']));
		expect(replies.length).toBeGreaterThan(3);

		const visible = await allPages({ clientId: busyClientId, hideStaffOnly: true }, 4);
		expect(visible).toEqual(await expectedIds('client_id = ? and not staff_only', [busyClientId]));
		expect(visible.length).toBeLessThan(30);
	});

	it("gives staff the feed of every client's entries", async () => {
		const ids = await allPages({ hideStaffOnly: false }, 7);
		expect(ids).toEqual(await expectedIds('true', []));
		expect(ids).toEqual(expect.arrayContaining(await expectedIds('client_id = ?', [quietClientId])));
	});

	it('answers the same entries serializeActivity gives for the entity', async () => {
		const page = await listActivityPage(db.em(), { clientId: busyClientId, hideStaffOnly: false, limit: 40 });
		const entities = await db.em().find(ActivitySchema, { clientId: busyClientId }, { orderBy: { id: 'desc' } });
		expect(page.items).toEqual(entities.map(serializeActivity));
		expect(page.items.some((item) => item.after?.tags)).toBe(true);
		expect(page.nextCursor).toBeNull();
	});

	it('rejects a tampered cursor with a typed error, and finds nothing for an id that is no uuid', async () => {
		for (const cursor of ['not-a-cursor', encodeCursor(['1 or 1=1']), encodeCursor([5]), encodeCursor(['1', '2'])]) {
			const attempt = listActivityPage(db.em(), { clientId: busyClientId, hideStaffOnly: false, cursor, limit: 5 });
			await expect(attempt).rejects.toBeInstanceOf(AppError);
			await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		}
		expect(await listActivityPage(db.em(), { clientId: 'nope', hideStaffOnly: false, limit: 5 })).toEqual({ items: [], nextCursor: null });
	});
});

describe('listActivityPage in SQL statements', () => {
	let statements = 0;
	let countingOrm: MikroORM;

	beforeAll(async () => {
		countingOrm = await db.openOrm({
			debug: ['query'],
			logger: (message: string) => {
				if (message.includes('[query]')) statements++;
			}
		});
		// Opening the ORM runs its own start-up queries; let them finish before counting.
		await listActivityPage(countingOrm.em.fork(), { hideStaffOnly: false, limit: 1 });
	});

	async function statementsFor(input: ActivityPageInput) {
		const before = statements;
		const page = await listActivityPage(countingOrm.em.fork(), input);
		return { count: statements - before, page };
	}

	it('sends one statement per page, whatever its size, depth or filters', async () => {
		const first = await statementsFor({ clientId: busyClientId, hideStaffOnly: false, limit: 2 });
		const large = await statementsFor({ clientId: busyClientId, hideStaffOnly: false, limit: 25 });
		const deep = await statementsFor({ clientId: busyClientId, hideStaffOnly: true, action: 'invoice.paid', cursor: first.page.nextCursor ?? undefined, limit: 5 });
		expect(large.page.items).toHaveLength(25);
		expect(deep.page.items.length).toBeGreaterThan(0);
		expect([first.count, large.count, deep.count]).toEqual([1, 1, 1]);
	});
});
