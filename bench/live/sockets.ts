import { io as connect, type Socket } from 'socket.io-client';
import { wallNow } from './histogram';

/**
 * One socket's view of one room: every seq must arrive exactly once and in order. A seq below the
 * expected one is a duplicate (or reordering), one above it means the events between were lost.
 */
export class SeqCheck {
	received = 0;
	duplicates = 0;
	lost = 0;
	constructor(public expected: number) {}

	see(seq: number): void {
		this.received++;
		if (seq < this.expected) this.duplicates++;
		else {
			this.lost += seq - this.expected;
			this.expected = seq + 1;
		}
	}

	/** After the load: events still missing at the end of the room count as lost too. */
	missingUpTo(lastSeq: number): number {
		return this.lost + Math.max(0, lastSeq + 1 - this.expected);
	}
}

export interface ConnectOptions {
	url: string;
	count: number;
	/** Cookie header for socket `index`, or none (the bare baseline has no auth). */
	cookieFor?: (index: number) => string;
	/** Sockets opening at once: 1,000 handshakes in one go would measure the machine's queue, not the server. */
	batchSize: number;
	onLive: (index: number, event: unknown, receivedAt: number) => void;
	onTrouble: (index: number, what: string) => void;
}

/** Opens `count` websocket-only Socket.IO clients in batches; reconnection is off so a drop shows as such. */
export async function connectSockets(options: ConnectOptions): Promise<Socket[]> {
	const sockets: Socket[] = [];
	for (let start = 0; start < options.count; start += options.batchSize) {
		const batch = Array.from({ length: Math.min(options.batchSize, options.count - start) }, (_, offset) => {
			const index = start + offset;
			const socket = connect(options.url, {
				transports: ['websocket'],
				extraHeaders: options.cookieFor ? { cookie: options.cookieFor(index) } : undefined,
				reconnection: false,
				forceNew: true,
				timeout: 30_000
			});
			socket.on('live', (event: unknown) => options.onLive(index, event, wallNow()));
			socket.on('session:ended', () => options.onTrouble(index, 'session:ended'));
			socket.on('room:closed', () => options.onTrouble(index, 'room:closed'));
			sockets.push(socket);
			return new Promise<void>((resolve, reject) => {
				socket.once('connect', () => {
					socket.on('disconnect', (reason) => {
						if (reason !== 'io client disconnect') options.onTrouble(index, `disconnect: ${reason}`);
					});
					resolve();
				});
				socket.once('connect_error', (error) => reject(new Error(`socket ${index} could not connect: ${error.message}`)));
			});
		});
		await Promise.all(batch);
	}
	return sockets;
}

/** Subscribes each socket to its room (in batches) and returns the room's seq each one starts after. */
export async function subscribeAll(sockets: Socket[], roomFor: (index: number) => string, batchSize: number): Promise<number[]> {
	const seqs: number[] = [];
	for (let start = 0; start < sockets.length; start += batchSize) {
		const replies = await Promise.all(
			sockets.slice(start, start + batchSize).map(async (socket, offset) => {
				const room = roomFor(start + offset);
				try {
					return (await socket.timeout(30_000).emitWithAck('subscribe', { room })) as { ok: boolean; seq?: number; error?: string };
				} catch {
					throw new Error(`socket ${start + offset}: the server did not answer 'subscribe' to ${room} within 30 s`);
				}
			})
		);
		for (const [offset, reply] of replies.entries()) {
			if (!reply.ok || reply.seq === undefined) throw new Error(`socket ${start + offset} could not join ${roomFor(start + offset)}: ${reply.error ?? 'no seq'}`);
			seqs.push(reply.seq);
		}
	}
	return seqs;
}

export function closeSockets(sockets: Socket[]): void {
	for (const socket of sockets) socket.disconnect();
}
