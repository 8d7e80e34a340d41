import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActivitySchema } from './activity.entity';
import type { Actor } from '../../auth/actor';
import type { Client } from '../clients/client.entity';
import type { User } from '../access/user.entity';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();

let client: Client;
let otherClient: Client;
let owner: User;
let staff: User;
let staffActor: Actor;
let ownerActor: Actor;

const DAY = 24 * 3600 * 1000;
const START = Date.parse('2026-05-01T00:00:00Z');

/** 60 entries over 6 days: two actors, three target types, every fifth staff-only. */
beforeAll(async () => {
	const em = db.em();
	client = await newClient(em);
	otherClient = await newClient(em);
	owner = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', name: 'Olivia Owner' });
	staff = await newUser(em, { kind: 'staff', roleKey: 'super_admin', name: 'Sam Staffer' });
	// Staff who never touched this client: not an actor to offer.
	await newUser(em, { kind: 'staff', roleKey: 'support_agent', name: 'Idle Ian' });
	staffActor = await actorFor(em, staff);
	ownerActor = await actorFor(em, owner);
	const targets = ['invoice', 'ticket', 'client'];
	for (let index = 0; index < 60; index++) {
		const byStaff = index % 2 === 0;
		em.create(ActivitySchema, {
			clientId: client.id,
			actorUserId: byStaff ? staff.id : owner.id,
			actorName: byStaff ? staff.name : owner.name,
			actorKind: byStaff ? 'staff' : 'client',
			action: index % 5 === 0 ? 'note.added' : `${targets[index % 3]}.updated`,
			targetType: targets[index % 3],
			targetId: `${targets[index % 3].toUpperCase()}-${index}`,
			summary: index % 7 === 0 ? `Renewed the zephyr plan (${index})` : `Entry number ${index}`,
			staffOnly: index % 5 === 0,
			createdAt: new Date(START + Math.floor(index / 10) * DAY + index * 1000)
		});
	}
	// Another tenant's entry that would match every search below.
	em.create(ActivitySchema, {
		clientId: otherClient.id,
		actorUserId: staff.id,
		actorName: staff.name,
		actorKind: 'staff',
		action: 'invoice.updated',
		targetType: 'invoice',
		targetId: 'INVOICE-X',
		summary: 'Renewed the zephyr plan elsewhere',
		staffOnly: false,
		createdAt: new Date(START)
	});
	await em.flush();
});

type ListInput = Parameters<ReturnType<typeof callerFor>['activity']['list']>[0];

/** Every page of a filtered list through the procedure, following nextCursor. */
async function allIds(actor: Actor, input: Omit<ListInput, 'clientId' | 'limit' | 'cursor'>, limit = 7) {
	const caller = callerFor(db.em(), actor);
	const ids: string[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 40; page++) {
		const result = await caller.activity.list({ clientId: client.id, ...input, cursor, limit });
		ids.push(...result.items.map((item) => item.id));
		if (!result.nextCursor) return ids;
		cursor = result.nextCursor;
	}
	throw new Error('The cursor never reached the last page.');
}

async function expected(where: string, params: unknown[]) {
	const rows: { id: string }[] = await db.em().getConnection().execute(
		`select id from activity where client_id = ? and ${where} order by id desc`,
		[client.id, ...params]
	);
	return rows.map((row) => String(row.id));
}

async function fieldErrorsOf(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(TRPCError);
		const cause = (error as TRPCError).cause as { issues?: { path: PropertyKey[]; message: string }[] };
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
		return Object.fromEntries((cause.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]));
	}
	throw new Error('The call succeeded.');
}

describe('activity.list', () => {
	it('covers the whole log exactly once over keyset pages, newest first', async () => {
		const ids = await allIds(staffActor, {});
		expect(ids).toEqual(await expected('true', []));
		expect(new Set(ids).size).toBe(60);
	});

	it('hides staff-only entries from the client itself', async () => {
		const ids = await allIds(ownerActor, {});
		expect(ids).toEqual(await expected('not staff_only', []));
		expect(ids).toHaveLength(48);
	});

	it('filters by actor, action and target type, alone and together', async () => {
		expect(await allIds(staffActor, { actorUserId: owner.id })).toEqual(await expected('actor_user_id = ?', [owner.id]));
		expect(await allIds(staffActor, { action: 'note.added' })).toEqual(await expected(`action = 'note.added'`, []));
		expect(await allIds(staffActor, { targetType: 'ticket' })).toEqual(await expected(`target_type = 'ticket'`, []));
		const combined = await allIds(staffActor, { actorUserId: staff.id, targetType: 'invoice' }, 3);
		expect(combined).toEqual(await expected(`actor_user_id = ? and target_type = 'invoice'`, [staff.id]));
		expect(combined.length).toBeGreaterThan(3);
		// Staff-only "note.added" entries stay hidden from the client even when asked for by name.
		expect(await allIds(ownerActor, { action: 'note.added' })).toEqual([]);
	});

	it('keeps to a date range: from inclusive, to exclusive', async () => {
		const from = new Date(START + 2 * DAY).toISOString();
		const to = new Date(START + 4 * DAY).toISOString();
		const ids = await allIds(staffActor, { from, to });
		expect(ids).toEqual(await expected('created_at >= ? and created_at < ?', [from, to]));
		expect(ids).toHaveLength(20);
	});

	it('searches the full text with websearch syntax, inside this client only', async () => {
		const zephyr = await allIds(staffActor, { search: 'zephyr' });
		expect(zephyr).toEqual(await expected(`summary like '%zephyr%'`, []));
		expect(zephyr).toHaveLength(9);
		// Actor names, target ids and the words of an action are searchable too.
		expect(await allIds(staffActor, { search: 'Olivia' })).toEqual(await expected('actor_user_id = ?', [owner.id]));
		expect(await allIds(staffActor, { search: 'TICKET-4' })).toEqual(await expected(`target_id = 'TICKET-4'`, []));
		expect(await allIds(staffActor, { search: 'zephyr -Olivia' })).toEqual(await expected(`summary like '%zephyr%' and actor_user_id = ?`, [staff.id]));
		expect(await allIds(staffActor, { search: '"zephyr plan" note' })).toEqual(await expected(`summary like '%zephyr%' and action = 'note.added'`, []));
		expect(await allIds(staffActor, { search: 'nothing-like-this' })).toEqual([]);
	});

	it('answers field errors for bad dates, a reversed range and a long search', async () => {
		const caller = callerFor(db.em(), staffActor);
		expect(await fieldErrorsOf(caller.activity.list({ clientId: client.id, from: 'yesterday' }))).toEqual({ from: 'Enter a valid start date.' });
		expect(await fieldErrorsOf(caller.activity.list({ clientId: client.id, to: '2026-13-45' }))).toEqual({ to: 'Enter a valid end date.' });
		expect(
			await fieldErrorsOf(caller.activity.list({ clientId: client.id, from: '2026-05-03T00:00:00Z', to: '2026-05-02T00:00:00Z' }))
		).toEqual({ to: 'The end date must not be before the start date.' });
		expect(await fieldErrorsOf(caller.activity.list({ clientId: client.id, search: 'x'.repeat(201) }))).toEqual({
			search: 'Search for at most 200 characters.'
		});
		expect(await fieldErrorsOf(caller.activity.list({ clientId: client.id, actorUserId: 'someone' }))).toEqual({
			actorUserId: 'Choose an actor from the list.'
		});
	});

	it("answers NOT_FOUND for another tenant's log, whatever the filters", async () => {
		const caller = callerFor(db.em(), ownerActor);
		await expect(caller.activity.list({ clientId: otherClient.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(caller.activity.list({ clientId: otherClient.id, from: 'bad' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(caller.activity.facets({ clientId: otherClient.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('gives the first page the room seqs for the live feed, and later pages none', async () => {
		const caller = callerFor(db.em(), staffActor);
		const first = await caller.activity.list({ clientId: client.id, limit: 5 });
		expect(Object.keys(first.live ?? {}).sort()).toEqual([`client:${client.id}`, `client:${client.id}:staff`]);
		const second = await caller.activity.list({ clientId: client.id, limit: 5, cursor: first.nextCursor ?? undefined });
		expect(second.live).toBeNull();
		const own = await callerFor(db.em(), ownerActor).activity.list({ clientId: client.id, limit: 5 });
		expect(Object.keys(own.live ?? {})).toEqual([`client:${client.id}`]);
	});
});

describe('activity.facets', () => {
	it("offers the client's users and the staff who acted on it, and the actions and target types that occur", async () => {
		const facets = await callerFor(db.em(), staffActor).activity.facets({ clientId: client.id });
		expect(facets.actors.map((actor) => actor.name)).toEqual(['Olivia Owner', 'Sam Staffer']);
		expect(facets.actions).toEqual(['client.updated', 'invoice.updated', 'note.added', 'ticket.updated']);
		expect(facets.targetTypes).toEqual(['client', 'invoice', 'ticket']);
	});

	it('offers the client nothing that only staff-only entries hold', async () => {
		const facets = await callerFor(db.em(), ownerActor).activity.facets({ clientId: client.id });
		expect(facets.actions).not.toContain('note.added');
		expect(facets.actions).toEqual(['client.updated', 'invoice.updated', 'ticket.updated']);
	});
});
