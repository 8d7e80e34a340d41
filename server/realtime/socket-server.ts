import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { validateSessionToken } from '../auth/session.service';
import { SESSION_COOKIE } from '../trpc/context';
import type { Actor } from '../auth/actor';
import { canJoinRoom } from './room-access';
import { OutboxRelay, type RelayOptions } from './outbox-relay';
import { replayRoom } from './replay';
import type { LiveEvent, SubscribeReply, SubscribeRequest } from './live-event';
import { createLiveMetrics } from './live-metrics';

interface SocketData {
	actor: Actor;
	token: string;
	rooms: Set<string>;
}
type LiveSocket = Socket & { data: SocketData };

export interface Realtime {
	io: Server;
	relay: OutboxRelay;
	metrics: ReturnType<typeof createLiveMetrics>;
	close(): Promise<void>;
}

function cookieValue(header: string | undefined, name: string): string | null {
	for (const part of (header ?? '').split(';')) {
		const [key, ...rest] = part.trim().split('=');
		if (key === name) return decodeURIComponent(rest.join('='));
	}
	return null;
}

/** Only our own pages may open a socket with the user's cookie (no cross-site WebSocket hijacking). */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
	if (!origin) return true;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}

/** Socket.IO on the app's HTTP server: cookie-authenticated sockets, checked room joins, outbox relay. */
export async function attachRealtime(
	httpServer: HttpServer,
	options: { orm: MikroORM; databaseUrl: string; relay?: Pick<RelayOptions, 'pollMs' | 'heartbeatMs'> }
): Promise<Realtime> {
	const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
	pool.on('error', () => {});
	// The adapter holds a LISTEN client checked out of this pool and does not listen for its
	// errors: without this a database restart (or shutdown) would crash the process.
	pool.on('connect', (client) => client.on('error', () => {}));
	const io = new Server(httpServer, {
		serveClient: false,
		// A silently dead connection is noticed within 15 s (defaults: 45 s), so banners and resyncs come quickly.
		pingInterval: 10_000,
		pingTimeout: 5_000,
		allowRequest: (req, callback) => callback(null, sameOrigin(req.headers.origin, req.headers.host)),
		// Several app nodes share rooms through PostgreSQL itself; no Redis to run.
		adapter: createAdapter(pool, { tableName: 'socket_io_attachments' })
	});

	async function authenticate(token: string | null, headers: Record<string, string | string[] | undefined>, address: string) {
		if (!token) return null;
		const userAgent = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : null;
		return validateSessionToken(options.orm.em.fork(), token, { ip: address, userAgent });
	}

	io.use(async (socket, next) => {
		try {
			const token = cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
			const validated = await authenticate(token, socket.handshake.headers, socket.handshake.address);
			if (!validated || !token) return next(new Error('unauthorized'));
			socket.data = { actor: validated.actor, token, rooms: new Set() } satisfies SocketData;
			next();
		} catch {
			next(new Error('unavailable'));
		}
	});

	/** Re-checks a socket's session and rooms after its user's access changed. */
	async function revalidate(socket: LiveSocket) {
		const data = socket.data;
		const validated = await authenticate(data.token, socket.handshake.headers, socket.handshake.address);
		if (!validated) {
			socket.emit('session:ended');
			socket.disconnect(true);
			return;
		}
		data.actor = validated.actor;
		for (const room of data.rooms) {
			if (!canJoinRoom(data.actor, room)) {
				data.rooms.delete(room);
				await socket.leave(room);
				socket.emit('room:closed', { room });
			}
		}
	}

	io.on('connection', (socket: LiveSocket) => {
		void socket.join(`user:${socket.data.actor.userId}`);
		socket.on('subscribe', async (request: SubscribeRequest, ack: (reply: SubscribeReply) => void) => {
			if (typeof ack !== 'function') return;
			const room = typeof request?.room === 'string' ? request.room : '';
			// Forbidden and unknown rooms answer alike, as the API does.
			if (!canJoinRoom(socket.data.actor, room)) return ack({ ok: false, error: 'not_found' });
			await socket.join(room);
			socket.data.rooms.add(room);
			const afterSeq = Number.isSafeInteger(request.afterSeq) ? request.afterSeq : undefined;
			try {
				ack({ ok: true, ...(await replayRoom(pool, room, afterSeq)) });
			} catch {
				ack({ ok: false, error: 'unavailable' });
			}
		});
		socket.on('unsubscribe', async (request: { room: string }) => {
			socket.data.rooms.delete(request?.room);
			await socket.leave(request?.room);
		});
	});

	async function revalidateAll(payload: { userIds?: string[]; clientId?: string }) {
		const rooms = [...(payload.userIds ?? []).map((id) => `user:${id}`), ...(payload.clientId ? [`client:${payload.clientId}`] : [])];
		if (!rooms.length) return;
		const sockets = await io.local.in(rooms).fetchSockets();
		for (const remote of sockets) {
			const socket = io.sockets.sockets.get(remote.id) as LiveSocket | undefined;
			if (!socket) continue;
			// A client's change only alters what its own users may do: staff watching it keep their access
			// (re-checking 1,000 staff sockets per status change cost the server most of its throughput).
			const actor = socket.data.actor;
			if (!payload.userIds?.includes(actor.userId ?? '') && actor.clientId !== payload.clientId) continue;
			await revalidate(socket).catch(() => socket.disconnect(true));
		}
	}

	const relay = new OutboxRelay({
		...options.relay,
		databaseUrl: options.databaseUrl,
		log: (message) => console.warn(message),
		emit(events: LiveEvent[]) {
			for (const event of events) {
				// Each node relays to its own sockets (see OutboxRelay), so `local` and in order.
				if (event.event === 'access.changed') void revalidateAll(event.payload as { userIds?: string[]; clientId?: string });
				else io.local.to(event.room).emit('live', event);
			}
		}
	});
	await relay.start();

	return {
		io,
		relay,
		metrics: createLiveMetrics(io, relay),
		async close() {
			await relay.stop();
			io.disconnectSockets(true);
			await new Promise<void>((resolve) => io.close(() => resolve()));
			await pool.end().catch(() => {});
		}
	};
}
