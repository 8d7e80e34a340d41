import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { io as connect, type Socket } from 'socket.io-client';
import { attachRealtime, type Realtime } from '../../server/realtime/socket-server';
import type { RelayOptions } from '../../server/realtime/outbox-relay';
import { createSession } from '../../server/auth/session.service';
import { SESSION_COOKIE } from '../../server/trpc/context';
import type { LiveEvent, SubscribeReply } from '../../server/realtime/live-event';

/** A real HTTP server with Socket.IO and the outbox relay, on a free loopback port. */
export async function startLiveServer(
	orm: MikroORM,
	databaseUrl: string,
	relay?: Pick<RelayOptions, 'pollMs' | 'heartbeatMs'>
): Promise<{ url: string; realtime: Realtime; close(): Promise<void> }> {
	const server: Server = createServer((_req, res) => res.writeHead(404).end());
	const realtime = await attachRealtime(server, { orm, databaseUrl, relay });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		realtime,
		async close() {
			await realtime.close();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}

/** A Socket.IO client signed in as `userId` (a fresh session), collecting every live event. */
export async function liveClientFor(em: EntityManager, url: string, userId: string) {
	const { token, session } = await createSession(em, userId, { ip: '127.0.0.1', userAgent: 'vitest live client' });
	const socket: Socket = connect(url, {
		transports: ['websocket'],
		extraHeaders: { cookie: `${SESSION_COOKIE}=${token}` },
		reconnection: false,
		forceNew: true
	});
	const events: LiveEvent[] = [];
	socket.on('live', (event: LiveEvent) => events.push(event));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return {
		socket,
		events,
		sessionId: session.id,
		token,
		subscribe: (room: string, afterSeq?: number) =>
			socket.timeout(5000).emitWithAck('subscribe', { room, afterSeq }) as Promise<SubscribeReply>,
		close: () => socket.disconnect()
	};
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
