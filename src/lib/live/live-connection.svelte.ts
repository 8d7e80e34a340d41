import { io, type Socket } from 'socket.io-client';
import type { LiveEvent, SubscribeReply } from '../../../server/realtime/live-event';

export interface RoomHandlers {
	onEvent(event: LiveEvent): void;
	/** Too much was missed to replay: reload the data from the API. */
	onRefetch(): void;
}

interface Room {
	/** Last seq applied; null until the first subscription answers. */
	lastSeq: number | null;
	handlers: Set<RoomHandlers>;
	syncing: boolean;
	/** Events that arrived while a sync was in flight; applied after it (duplicates are skipped). */
	buffered: LiveEvent[];
}

/**
 * The app's one Socket.IO connection. Rooms remember the last sequence they applied, so a
 * reconnect (or a gap in the sequence) asks the server for exactly what was missed.
 */
class LiveConnection {
	state = $state<'idle' | 'connecting' | 'connected' | 'disconnected'>('idle');
	everConnected = $state(false);
	private socket: Socket | null = null;
	private rooms = new Map<string, Room>();
	private userId: string | null = null;

	/** Connects as the signed-in user; a different user (sign in as, sign out) gets a fresh handshake. */
	start(userId: string) {
		if (this.socket && this.userId === userId) return;
		this.userId = userId;
		if (this.socket) {
			// Rooms stay registered and re-sync on the new connection (the server re-checks each).
			this.socket.disconnect().connect();
			return;
		}
		this.state = 'connecting';
		this.socket = io({ autoConnect: false, reconnectionDelay: 500, reconnectionDelayMax: 5000, randomizationFactor: 0.3 });
		this.socket.on('connect', () => {
			this.state = 'connected';
			this.everConnected = true;
			for (const room of this.rooms.keys()) void this.sync(room);
		});
		this.socket.on('disconnect', () => (this.state = 'disconnected'));
		this.socket.on('connect_error', () => (this.state = 'disconnected'));
		this.socket.on('live', (event: LiveEvent) => this.receive(event));
		// The browser knows before a ping timeout does: show the banner and reconnect at once.
		window.addEventListener('offline', this.goOffline);
		window.addEventListener('online', this.goOnline);
		// The session ended elsewhere (signed out, blocked): the pages it shows are no longer theirs.
		this.socket.on('session:ended', () => window.location.assign('/login'));
		this.socket.connect();
	}

	private goOffline = () => {
		this.socket?.disconnect();
		this.state = 'disconnected';
	};

	private goOnline = () => {
		if (this.socket && !this.socket.connected) this.socket.connect();
	};

	stop() {
		window.removeEventListener('offline', this.goOffline);
		window.removeEventListener('online', this.goOnline);
		this.socket?.disconnect();
		this.socket = null;
		this.userId = null;
		this.rooms.clear();
		this.state = 'idle';
		this.everConnected = false;
	}

	/** Joins `room`; `sinceSeq` is the room's seq when the page's data was read (replays what came after). */
	subscribe(room: string, sinceSeq: number | null, handlers: RoomHandlers): () => void {
		let entry = this.rooms.get(room);
		if (!entry) {
			entry = { lastSeq: sinceSeq, handlers: new Set(), syncing: false, buffered: [] };
			this.rooms.set(room, entry);
			entry.handlers.add(handlers);
			if (this.socket?.connected) void this.sync(room);
		} else {
			entry.handlers.add(handlers);
		}
		return () => {
			entry.handlers.delete(handlers);
			if (entry.handlers.size === 0) {
				this.rooms.delete(room);
				this.socket?.emit('unsubscribe', { room });
			}
		};
	}

	private async sync(room: string) {
		const entry = this.rooms.get(room);
		if (!entry || !this.socket || entry.syncing) return;
		entry.syncing = true;
		try {
			const reply = (await this.socket.timeout(10_000).emitWithAck('subscribe', {
				room,
				afterSeq: entry.lastSeq ?? undefined
			})) as SubscribeReply;
			if (!reply.ok) return;
			if ('refetch' in reply) {
				entry.lastSeq = reply.seq;
				entry.handlers.forEach((handler) => handler.onRefetch());
				return;
			}
			for (const event of reply.missed) this.apply(entry, event);
			if (entry.lastSeq === null || entry.lastSeq < reply.seq) entry.lastSeq = reply.seq;
		} catch {
			// The reconnect will sync again.
		} finally {
			entry.syncing = false;
			const buffered = entry.buffered.sort((a, b) => a.seq - b.seq);
			entry.buffered = [];
			buffered.forEach((event) => this.receive(event));
		}
	}

	private receive(event: LiveEvent) {
		const entry = this.rooms.get(event.room);
		if (!entry) return;
		if (entry.syncing) {
			entry.buffered.push(event);
			return;
		}
		if (entry.lastSeq !== null && event.seq > entry.lastSeq + 1) {
			void this.sync(event.room);
			return;
		}
		this.apply(entry, event);
	}

	private apply(entry: Room, event: LiveEvent) {
		if (entry.lastSeq !== null && event.seq <= entry.lastSeq) return;
		entry.lastSeq = event.seq;
		entry.handlers.forEach((handler) => handler.onEvent(event));
	}
}

export const liveConnection = new LiveConnection();
