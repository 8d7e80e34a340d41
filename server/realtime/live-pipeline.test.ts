import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../tests/integration/test-database';
import { actorFor, newClient, newUser } from '../../tests/integration/factories';
import { eventually, liveClientFor, startLiveServer } from '../../tests/integration/live-client';
import { mutate } from '../db/mutation';
import { setClientStatus } from '../modules/clients/client.service';
import { signOut } from '../auth/sign-out.service';
import type { Client } from '../modules/clients/client.entity';
import type { User } from '../modules/access/user.entity';
import type { Actor } from '../auth/actor';

let db: TestDatabase;
let server: Awaited<ReturnType<typeof startLiveServer>>;
let acme: Client;
let globex: Client;
let staff: User;
let staffActor: Actor;
let acmeOwner: User;

beforeAll(async () => {
	db = await useTestDatabase();
	const em = db.em();
	acme = await newClient(em);
	globex = await newClient(em);
	staff = await newUser(em, { kind: 'staff', roleKey: 'super_admin' });
	staffActor = await actorFor(em, staff);
	acmeOwner = await newUser(em, { kind: 'client', clientId: acme.id, roleKey: 'owner' });
	server = await startLiveServer(db.orm, db.url);
});

afterAll(async () => {
	await server?.close();
});

/** A change that writes one activity row on the client (and so one event in its room). */
function touch(client: Client, summary: string) {
	return mutate(db.em(), staffActor, async () => ({
		result: undefined,
		activity: { clientId: client.id, action: 'test.touched', targetType: 'client', targetId: client.id, summary }
	}));
}

describe('live pipeline', () => {
	it('delivers committed changes to the room in commit order with a gap-free sequence', async () => {
		const viewer = await liveClientFor(db.em(), server.url, acmeOwner.id);
		const reply = await viewer.subscribe(`client:${acme.id}`);
		expect(reply.ok).toBe(true);
		const startSeq = reply.ok ? reply.seq : 0;
		for (let i = 0; i < 20; i++) await touch(acme, `change ${i}`);
		await eventually(() => viewer.events.length >= 20, '20 events');
		expect(viewer.events.map((event) => (event.payload.activity as { summary: string }).summary)).toEqual(
			Array.from({ length: 20 }, (_, i) => `change ${i}`)
		);
		expect(viewer.events.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, i) => startSeq + i + 1));
		viewer.close();
	});

	it('pushes nothing for a rolled-back transaction', async () => {
		const viewer = await liveClientFor(db.em(), server.url, acmeOwner.id);
		await viewer.subscribe(`client:${acme.id}`);
		await expect(
			mutate(db.em(), staffActor, async () => {
				throw new Error('rolled back on purpose');
			})
		).rejects.toThrow('rolled back on purpose');
		await touch(acme, 'after the rollback');
		await eventually(() => viewer.events.length >= 1, 'the committed event');
		// Give a stray event from the rolled-back change time to arrive before checking.
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(viewer.events.map((event) => (event.payload.activity as { summary: string }).summary)).toEqual(['after the rollback']);
		viewer.close();
	});

	it('replays what a client missed while disconnected (500 events), in order', async () => {
		const first = await liveClientFor(db.em(), server.url, acmeOwner.id);
		const reply = await first.subscribe(`client:${acme.id}`);
		const lastSeen = reply.ok ? reply.seq : -1;
		first.close();
		for (let i = 0; i < 500; i++) await touch(acme, `offline ${i}`);
		const again = await liveClientFor(db.em(), server.url, acmeOwner.id);
		const catchUp = await again.subscribe(`client:${acme.id}`, lastSeen);
		expect(catchUp.ok && 'missed' in catchUp).toBe(true);
		if (!catchUp.ok || !('missed' in catchUp)) return;
		expect(catchUp.missed).toHaveLength(500);
		expect(catchUp.missed.map((event) => event.seq)).toEqual(Array.from({ length: 500 }, (_, i) => lastSeen + i + 1));
		expect((catchUp.missed[499].payload.activity as { summary: string }).summary).toBe('offline 499');
		again.close();
	});

	it('tells a client that missed too much to refetch', async () => {
		const viewer = await liveClientFor(db.em(), server.url, acmeOwner.id);
		const before = await viewer.subscribe(`client:${acme.id}`);
		const lastSeen = before.ok ? before.seq : -1;
		await mutate(db.em(), staffActor, async () => ({
			result: undefined,
			activity: Array.from({ length: 1001 }, (_, i) => ({ clientId: acme.id, action: 'test.bulk', targetType: 'client', summary: `bulk ${i}` }))
		}));
		const reply = await viewer.subscribe(`client:${acme.id}`, lastSeen);
		expect(reply).toMatchObject({ ok: true, refetch: true });
		viewer.close();
	});

	it('never lets a client user join another tenant or a staff room, even by hand-crafted requests', async () => {
		const intruder = await liveClientFor(db.em(), server.url, acmeOwner.id);
		for (const room of [`client:${globex.id}`, `client:${acme.id}:staff`, 'staff', 'noc', `user:${staff.id}`, 'system', 'client:*', '', `client:${globex.id} `]) {
			expect(await intruder.subscribe(room), room).toEqual({ ok: false, error: 'not_found' });
		}
		await touch(globex, 'a secret of globex');
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(intruder.events).toEqual([]);
		intruder.close();
	});

	it('keeps staff-only entries out of the client room', async () => {
		const owner = await liveClientFor(db.em(), server.url, acmeOwner.id);
		const agent = await liveClientFor(db.em(), server.url, staff.id);
		await owner.subscribe(`client:${acme.id}`);
		await agent.subscribe(`client:${acme.id}:staff`);
		await mutate(db.em(), staffActor, async () => ({
			result: undefined,
			activity: { clientId: acme.id, action: 'test.internal', targetType: 'client', summary: 'internal note', staffOnly: true }
		}));
		await eventually(() => agent.events.length === 1, 'the staff-only event');
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(owner.events).toEqual([]);
		owner.close();
		agent.close();
	});

	it('reaches a socket on a second app node sharing the database', async () => {
		const nodeB = await startLiveServer(db.orm, db.url);
		try {
			const viewerOnB = await liveClientFor(db.em(), nodeB.url, staff.id);
			await viewerOnB.subscribe(`client:${globex.id}`);
			// The change is made through node A's ORM; node B never sees the request.
			await touch(globex, 'made on node A');
			await eventually(() => viewerOnB.events.length === 1, 'the event on node B');
			expect((viewerOnB.events[0].payload.activity as { summary: string }).summary).toBe('made on node A');
			viewerOnB.close();
		} finally {
			await nodeB.close();
		}
	});

	it('keeps delivering when its LISTEN connection is cut (polling), and reconnects it', async () => {
		const watched = await startLiveServer(db.orm, db.url, { heartbeatMs: 300 });
		try {
			const viewer = await liveClientFor(db.em(), watched.url, staff.id);
			await viewer.subscribe(`client:${globex.id}`);
			const pid = watched.realtime.relay.stats.listenerPid;
			expect(pid).toBeTypeOf('number');
			await db.em().execute('select pg_terminate_backend(?)', [pid]);
			await touch(globex, 'while the listener is down');
			await eventually(() => viewer.events.length === 1, 'the polled event', 3000);
			await eventually(
				() => watched.realtime.relay.stats.listening && watched.realtime.relay.stats.listenerPid !== pid,
				'a new listener',
				3000
			);
			await touch(globex, 'after the reconnect');
			await eventually(() => viewer.events.length === 2, 'the notified event', 3000);
			viewer.close();
		} finally {
			await watched.close();
		}
	});

	it('exports relay lag, sockets and events in Prometheus format', async () => {
		const text = await server.realtime.metrics.render();
		expect(text).toMatch(/^cirrus_live_sockets \d+$/m);
		expect(text).toMatch(/^cirrus_relay_events_total [1-9]\d*$/m);
		expect(text).toMatch(/^cirrus_relay_lag_ms \d+/m);
	});

	it('drops the sockets of a session that signs out, and of users whose client is blocked', async () => {
		const em = db.em();
		const viewer = await liveClientFor(em, server.url, acmeOwner.id);
		await viewer.subscribe(`client:${acme.id}`);
		const disconnected = new Promise((resolve) => viewer.socket.once('disconnect', resolve));
		const ownerActor = { ...(await actorFor(em, acmeOwner)), sessionId: viewer.sessionId };
		await signOut(db.em(), ownerActor, [viewer.sessionId]);
		await disconnected;

		const other = await liveClientFor(db.em(), server.url, acmeOwner.id);
		await other.subscribe(`client:${acme.id}`);
		const dropped = new Promise((resolve) => other.socket.once('disconnect', resolve));
		await setClientStatus(db.em(), staffActor, { clientId: acme.id, status: 'blocked', reason: 'Abuse report 42' });
		await dropped;
		expect(other.socket.connected).toBe(false);
	});
});
