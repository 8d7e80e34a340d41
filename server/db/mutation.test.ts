import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutate } from './mutation';
import { ClientSchema } from '../modules/clients/client.entity';
import { ActivitySchema } from '../modules/activity/activity.entity';
import { OutboxSchema } from '../realtime/outbox.entity';
import type { Actor } from '../auth/actor';
import { useTestDatabase } from '../../tests/integration/test-database';
import { actorFor, newClient, newUser, uniqueSuffix } from '../../tests/integration/factories';

const db = await useTestDatabase();

async function counts() {
	const em = db.em();
	return {
		clients: await em.count(ClientSchema, {}),
		activity: await em.count(ActivitySchema, {}),
		outbox: await em.count(OutboxSchema, {})
	};
}

function newClientRow(name: string) {
	const now = new Date();
	return { id: randomUUID(), name, email: `${uniqueSuffix()}@example.test`, type: 'organization', billingType: 'prepaid', currency: 'EUR', status: 'active', createdAt: now, updatedAt: now } as const;
}

describe('mutate()', () => {
	let actor: Actor;

	beforeAll(async () => {
		const em = db.em();
		const client = await newClient(em);
		const staff = await newUser(em, { kind: 'staff', roleKey: 'support_agent', name: 'Sam Support' });
		const clientUser = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', name: 'Olive Owner' });
		// A staff member signed in as a client user: both names must reach the audit row.
		actor = { ...(await actorFor(em, clientUser)), impersonator: { userId: staff.id, name: staff.name } };
	});

	it('writes nothing when the change throws after its rows reached the database', async () => {
		const before = await counts();
		const name = `Doomed ${uniqueSuffix()}`;
		await expect(
			mutate(db.em(), actor, async (tx) => {
				tx.create(ClientSchema, newClientRow(name));
				await tx.flush();
				throw new Error('the change failed half way');
			})
		).rejects.toThrow('the change failed half way');
		expect(await counts()).toEqual(before);
		expect(await db.em().count(ClientSchema, { name })).toBe(0);
	});

	it('writes nothing when the activity row itself cannot be written', async () => {
		const before = await counts();
		const name = `Orphan ${uniqueSuffix()}`;
		await expect(
			mutate(db.em(), actor, async (tx) => {
				const client = tx.create(ClientSchema, newClientRow(name));
				// action is varchar(80): PostgreSQL rejects the audit row after the change was flushed.
				return { result: client, activity: { clientId: client.id, action: 'x'.repeat(200), targetType: 'client', summary: 'too long' } };
			})
		).rejects.toThrow();
		expect(await counts()).toEqual(before);
	});

	it('writes the change, exactly one activity row and its outbox rows together', async () => {
		const before = await counts();
		const name = `Kept ${uniqueSuffix()}`;
		const created = await mutate(db.em(), actor, async (tx) => {
			const client = tx.create(ClientSchema, newClientRow(name));
			return {
				result: client,
				activity: {
					clientId: client.id,
					action: 'client.renamed',
					targetType: 'client',
					targetId: client.id,
					summary: 'Renamed the client',
					before: { name: 'Old name' },
					after: { name }
				},
				events: [{ event: 'client.updated', rooms: ['staff'], payload: { clientId: client.id } }]
			};
		});

		const em = db.em();
		expect(await em.count(ClientSchema, { id: created.id })).toBe(1);
		const rows = await em.find(ActivitySchema, { clientId: created.id });
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			actorUserId: actor.userId,
			actorName: 'Olive Owner',
			actorKind: 'client',
			impersonatorUserId: actor.impersonator?.userId,
			impersonatorName: 'Sam Support',
			action: 'client.renamed',
			targetType: 'client',
			targetId: created.id,
			ip: actor.ip,
			userAgent: actor.userAgent,
			before: { name: 'Old name' },
			after: { name }
		});

		const outbox = await em.find(OutboxSchema, { id: { $gt: '0' } }, { orderBy: { id: 'desc' }, limit: 2 });
		const byEvent = Object.fromEntries(outbox.map((row) => [row.event, row]));
		expect(byEvent['activity.created']?.rooms).toEqual([`client:${created.id}`, 'staff']);
		expect((byEvent['activity.created']?.payload.activity as { id: string }).id).toBe(String(rows[0].id));
		expect(byEvent['client.updated']?.payload).toEqual({ clientId: created.id });
		expect(await counts()).toEqual({ clients: before.clients + 1, activity: before.activity + 1, outbox: before.outbox + 2 });
	});
});

describe('the activity table', () => {
	it('rejects UPDATE and DELETE, so history cannot be rewritten', async () => {
		const em = db.em();
		const client = await newClient(em);
		const actor = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'super_admin' }));
		await mutate(em, actor, async () => ({ result: null, activity: { clientId: client.id, action: 'client.noted', targetType: 'client', summary: 'A note' } }));
		const connection = db.em().getConnection();
		await expect(connection.execute(`update activity set summary = 'rewritten' where client_id = ?`, [client.id])).rejects.toThrow(/append-only/);
		await expect(connection.execute(`delete from activity where client_id = ?`, [client.id])).rejects.toThrow(/append-only/);
		const rows = await db.em().find(ActivitySchema, { clientId: client.id });
		expect(rows.map((row) => row.summary)).toEqual(['A note']);
	});
});
