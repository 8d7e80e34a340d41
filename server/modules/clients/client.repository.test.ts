import type { MikroORM } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientStatus } from './client.entity';
import { CLIENT_SORTS, type ListClientsInput } from './client.schemas';
import type { Actor } from '../../auth/actor';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();
const CLIENT_COUNT = 60;
const PAGE_SIZE = 7;

let staff: Actor;
let clients: Client[];

beforeAll(async () => {
	const em = db.em();
	staff = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'support_agent' }));
	const base = Date.parse('2026-01-01T00:00:00Z');
	const words = ['Acme', 'acme', 'Globex', 'Initech', 'Umbrella', 'Zeta', 'Hooli', 'Soylent', 'ACME', 'Vandelay'];
	clients = [];
	for (let index = 0; index < CLIENT_COUNT; index++) {
		const word = words[index % words.length];
		const statuses: ClientStatus[] = ['active', 'active', 'suspended', 'blocked'];
		clients.push(
			await newClient(em, {
				// Repeated names (also differing only in case) and repeated creation times force the id tie-break.
				name: `${word} ${index % 3 === 0 ? 'Holdings' : 'Labs'}`,
				email: `${word.toLowerCase()}.${String(index).padStart(2, '0')}@example.test`,
				company: index % 5 === 0 ? 'Widget Works Ltd' : null,
				status: statuses[index % statuses.length],
				createdAt: new Date(base + (index % 20) * 60_000)
			})
		);
	}
});

/** Follows nextCursor from the first page to the last, as the list page's "Next" button does. */
async function allPages(input: Partial<ListClientsInput>, limit = PAGE_SIZE) {
	const caller = callerFor(db.em(), staff);
	const ids: string[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < CLIENT_COUNT + 2; page++) {
		const result = await caller.clients.list({ ...input, limit, cursor });
		expect(result.items.length).toBeLessThanOrEqual(limit);
		ids.push(...result.items.map((item) => item.id));
		if (!result.nextCursor) return ids;
		cursor = result.nextCursor;
	}
	throw new Error('The cursor never reached the last page.');
}

const SQL_ORDER = { name: 'lower(name)', email: 'lower(email)', createdAt: 'created_at' } as const;

/**
 * Every client in the order PostgreSQL sorts them in one unpaginated query: how names compare
 * is the database collation's business; what is checked here is that pages stitch into that order.
 */
async function fullOrder(sort: (typeof CLIENT_SORTS)[number], direction: 'asc' | 'desc'): Promise<string[]> {
	const rows: { id: string }[] = await db
		.em()
		.getConnection()
		.execute(`select id from client order by ${SQL_ORDER[sort]} ${direction}, id ${direction}`);
	return rows.map((row) => row.id);
}

const byId = () => new Map(clients.map((client) => [client.id, client]));

function matches(client: Client, filter: { status?: ClientStatus; search?: string }): boolean {
	if (filter.status && client.status !== filter.status) return false;
	if (!filter.search) return true;
	if (filter.search === client.id) return true;
	return `${client.name} ${client.email} ${client.company ?? ''}`.toLowerCase().includes(filter.search.toLowerCase());
}

const orders = CLIENT_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((direction) => ({ sort, direction })));

describe('keyset pagination of the client list', () => {
	it.for(orders)('returns every client exactly once, in order, sorted by $sort $direction', async ({ sort, direction }) => {
		const ids = await allPages({ sort, direction });
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toHaveLength(CLIENT_COUNT);
		expect(ids).toEqual(await fullOrder(sort, direction));
	});

	it('sorts by creation time, oldest first, ties broken by id', async () => {
		const ids = await allPages({ sort: 'createdAt', direction: 'asc' });
		const clientsById = byId();
		const expected = [...clients]
			.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
			.map((client) => client.id);
		expect(ids).toEqual(expected);
		expect(clientsById.get(ids[0])?.createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
	});

	it('sorts names without regard to case', async () => {
		const names = (await allPages({ sort: 'name', direction: 'asc' })).map((id) => byId().get(id)!.name.toLowerCase());
		const acme = names.filter((name) => name.startsWith('acme'));
		expect(acme.length).toBeGreaterThan(10);
		// All the Acme/acme/ACME clients sit together rather than split by letter case.
		const first = names.indexOf(acme[0]);
		expect(names.slice(first, first + acme.length).every((name) => name.startsWith('acme'))).toBe(true);
	});

	const filters: { label: string; filter: () => { status?: ClientStatus; search?: string } }[] = [
		{ label: 'status suspended', filter: () => ({ status: 'suspended' }) },
		{ label: 'a name', filter: () => ({ search: 'zeta' }) },
		{ label: 'an email', filter: () => ({ search: 'GLOBEX.1' }) },
		{ label: 'a company', filter: () => ({ search: 'widget works' }) },
		{ label: 'an id', filter: () => ({ search: clients[17].id }) },
		{ label: 'a status and a name', filter: () => ({ status: 'blocked', search: 'holdings' }) }
	];

	for (const { label, filter } of filters) {
		it.for(orders)(`filtered by ${label}, sorted by $sort $direction, returns exactly the matches in order`, async ({ sort, direction }) => {
			const ids = await allPages({ sort, direction, ...filter() });
			const clientsById = byId();
			const expected = (await fullOrder(sort, direction)).filter((id) => matches(clientsById.get(id)!, filter()));
			expect(expected.length).toBeGreaterThan(0);
			expect(expected.length).toBeLessThan(CLIENT_COUNT);
			expect(ids).toEqual(expected);
		});
	}

	it('finds nothing for a search that matches no client', async () => {
		expect(await allPages({ search: 'no such client anywhere' })).toEqual([]);
	});
});

describe('the client list in SQL queries', () => {
	let queries = 0;
	let countingOrm: MikroORM;

	beforeAll(async () => {
		countingOrm = await db.openOrm({
			debug: ['query'],
			logger: (message: string) => {
				if (message.includes('[query]')) queries++;
			}
		});
		// Opening the ORM runs its own start-up queries; let them finish before counting.
		await callerFor(countingOrm.em.fork(), staff).clients.list({});
	});

	/** A page of the list through the router, counting every query the ORM sends for it. */
	async function queriesFor(input: Partial<ListClientsInput>) {
		const before = queries;
		const result = await callerFor(countingOrm.em.fork(), staff).clients.list(input);
		return { count: queries - before, result };
	}

	it('takes the same number of queries for any page size and any depth', async () => {
		const small = await queriesFor({ limit: 5 });
		const large = await queriesFor({ limit: 50 });
		expect(small.count).toBeGreaterThan(0);
		expect(large.result.items).toHaveLength(50);
		expect(large.count).toBe(small.count);

		let cursor: string | undefined;
		for (let page = 1; page < 3; page++) {
			cursor = (await queriesFor({ limit: 5, cursor })).result.nextCursor ?? undefined;
		}
		const third = await queriesFor({ limit: 5, cursor });
		expect(third.result.items).toHaveLength(5);
		expect(third.count).toBe(small.count);

		const filtered = await queriesFor({ limit: 50, status: 'active', search: 'labs' });
		expect(filtered.result.items.length).toBeGreaterThan(0);
		expect(filtered.count).toBe(small.count);
	});
});
