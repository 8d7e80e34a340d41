import type { MikroORM } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import { activityCsvChunks, activityCsvResponse, neutralizeFormula } from './activity.export';
import { ActivitySchema } from './activity.entity';
import type { Actor } from '../../auth/actor';
import type { Client } from '../clients/client.entity';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();

const ROWS = 10_000;
let big: Client;
let small: Client;
let admin: Actor;
let agent: Actor;
let smallOwner: Actor;
let bigOwner: Actor;

/** RFC 4180 records (quoted fields with "" escapes and embedded newlines). */
function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	const endField = () => {
		record.push(field);
		field = '';
	};
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') endField();
		else if (char === '\n') {
			endField();
			records.push(record);
			record = [];
		} else field += char;
	}
	if (field || record.length) {
		endField();
		records.push(record);
	}
	return records;
}

let countingOrm: MikroORM;
let activityStatements = 0;

beforeAll(async () => {
	const em = db.em();
	big = await newClient(em, { name: 'Big Éxport Co.' });
	small = await newClient(em);
	admin = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'super_admin' }));
	agent = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'support_agent' }));
	smallOwner = await actorFor(em, await newUser(em, { kind: 'client', clientId: small.id, roleKey: 'owner' }));
	bigOwner = await actorFor(em, await newUser(em, { kind: 'client', clientId: big.id, roleKey: 'owner' }));
	// Rows in one statement: n = 0 is the oldest entry, n = 9999 the newest.
	await em.getConnection().execute(
		`insert into activity (client_id, actor_name, actor_kind, action, target_type, target_id, summary, before, after, staff_only, ip, user_agent, created_at)
		 select ?, 'Bulk Bot', 'system', 'ticket.replied', 'ticket', 'T-' || n, 'Row ' || n, null, null, n % 1000 = 1, '198.51.100.' || (n % 250), 'bulk', timestamptz '2026-01-01' + n * interval '1 minute'
		   from generate_series(0, ${ROWS - 1}) n`,
		[big.id]
	);
	em.create(ActivitySchema, {
		clientId: small.id,
		actorUserId: null,
		actorName: '+Mallory',
		actorKind: 'client',
		impersonatorUserId: null,
		impersonatorName: '@Eve',
		action: 'client.updated',
		targetType: 'client',
		targetId: '-1',
		summary: '=HYPERLINK("http://evil.example","click")',
		before: { name: 'Old, "quoted"' },
		after: { name: 'New\nline' },
		staffOnly: false,
		ip: '203.0.113.9',
		userAgent: '\tTabbed agent',
		createdAt: new Date('2026-02-01T10:00:00Z')
	});
	await em.flush();
	countingOrm = await db.openOrm({
		debug: ['query'],
		logger: (message: string) => {
			if (message.includes('[query]') && message.includes('from activity')) activityStatements++;
		}
	});
});

async function collect(chunks: AsyncGenerator<string>) {
	const parts: string[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	return parts;
}

describe('activity CSV export', () => {
	it('exports 10,000 rows completely and in order, one keyset query per 1,000', async () => {
		const before = activityStatements;
		const chunks = await collect(activityCsvChunks(countingOrm.em.fork(), admin, { clientId: big.id }, 1000));
		expect(activityStatements - before).toBe(10);
		expect(chunks).toHaveLength(10);
		const [header, ...rows] = parseCsv(chunks.join(''));
		expect(header).toEqual(['time', 'actor', 'as', 'action', 'target type', 'target id', 'summary', 'before', 'after', 'ip', 'user agent']);
		expect(rows).toHaveLength(ROWS);
		expect(rows.map((row) => row[6])).toEqual(Array.from({ length: ROWS }, (_, index) => `Row ${ROWS - 1 - index}`));
		expect(rows[0]).toEqual([new Date(Date.parse('2026-01-01T00:00:00Z') + 9999 * 60_000).toISOString(), 'Bulk Bot', '', 'ticket.replied', 'ticket', 'T-9999', 'Row 9999', '', '', '198.51.100.249', 'bulk']);
		// Each chunk is one page: memory holds a page, never the log.
		expect(chunks.slice(1).every((chunk) => chunk.split('\n').length - 1 === 1000)).toBe(true);
	});

	it("hides staff-only rows from the client's own export and keeps to the filters", async () => {
		const own = parseCsv((await collect(activityCsvChunks(db.em(), bigOwner, { clientId: big.id }, 4000))).join(''));
		expect(own).toHaveLength(1 + ROWS - 10);
		expect(own.some((row) => row[6] === 'Row 1001')).toBe(false);
		const filtered = parseCsv(
			(await collect(activityCsvChunks(db.em(), admin, { clientId: big.id, search: 'T-42', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }))).join('')
		);
		expect(filtered.slice(1).map((row) => row[5])).toEqual(['T-42']);
	});

	it('neutralises formula cells and keeps commas, quotes and newlines intact', async () => {
		const [, row] = parseCsv((await collect(activityCsvChunks(db.em(), admin, { clientId: small.id }))).join(''));
		expect(row).toEqual([
			'2026-02-01T10:00:00.000Z',
			"'@Eve",
			"'+Mallory",
			'client.updated',
			'client',
			"'-1",
			`'=HYPERLINK("http://evil.example","click")`,
			'{"name":"Old, \\"quoted\\""}',
			'{"name":"New\\nline"}',
			'203.0.113.9',
			"'\tTabbed agent"
		]);
		expect(neutralizeFormula('plain')).toBe('plain');
	});

	it('streams the response lazily: reading one chunk runs at most two page queries', async () => {
		const response = await activityCsvResponse(countingOrm.em.fork(), admin, big.id, new URLSearchParams());
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=activity-big-export-co-\d{4}-\d{2}-\d{2}\.csv$/);
		const before = activityStatements;
		const reader = response.body!.getReader();
		const first = await reader.read();
		expect(new TextDecoder().decode(first.value).startsWith('time,actor,as,')).toBe(true);
		await reader.cancel();
		const pages = activityStatements - before;
		expect(pages).toBeGreaterThanOrEqual(1);
		expect(pages).toBeLessThanOrEqual(2);
	});

	it('answers 404 exactly like a missing client without activity.export or for another tenant', async () => {
		const missing = await activityCsvResponse(db.em(), admin, '00000000-0000-4000-8000-000000000000', new URLSearchParams());
		const expected = { status: missing.status, body: await missing.text() };
		expect(expected.status).toBe(404);
		for (const [actor, clientId] of [
			[agent, big.id],
			[smallOwner, big.id],
			[admin, 'not-a-uuid']
		] as const) {
			const response = await activityCsvResponse(db.em(), actor, clientId, new URLSearchParams());
			expect({ status: response.status, body: await response.text() }).toEqual(expected);
		}
		const signedOut = await activityCsvResponse(db.em(), null, big.id, new URLSearchParams());
		expect(signedOut.status).toBe(303);
	});

	it('answers 400 with the field for bad filters', async () => {
		const response = await activityCsvResponse(db.em(), admin, big.id, new URLSearchParams({ from: '2026-02-02T00:00:00Z', to: '2026-02-01T00:00:00Z' }));
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('to: The end date must not be before the start date.');
	});
});
