import pg from 'pg';
import type { LiveEvent } from './live-event';

export interface RelayStats {
	listening: boolean;
	/** Backend pid of the LISTEN connection (for operators, and for tests that cut it). */
	listenerPid: number | null;
	watermark: number;
	relayedTotal: number;
	/** Commit-to-emit delay of the last relayed event, in ms. */
	lastLagMs: number;
}

export interface RelayOptions {
	databaseUrl: string;
	emit(events: LiveEvent[]): void;
	/** Safety-net poll of the table, whatever the listener says. */
	pollMs?: number;
	heartbeatMs?: number;
	log?: (message: string) => void;
}

const BATCH = 500;

/**
 * Relays committed outbox rows to this node's sockets. LISTEN/NOTIFY wakes it at once; the table
 * is the truth (ids are in commit order, so a watermark suffices), and a poll every second covers
 * a listener that died silently.
 *
 * Every node reads the outbox for its own sockets rather than one node broadcasting through the
 * Socket.IO adapter: the adapter publishes asynchronously and can reorder a burst, and a read of
 * the table per batch costs less than a NOTIFY per event.
 */
export class OutboxRelay {
	private listener: pg.Client | null = null;
	private readonly pool: pg.Pool;
	private timers: NodeJS.Timeout[] = [];
	private draining: Promise<void> | null = null;
	private drainAgain = false;
	private stopped = false;
	readonly stats: RelayStats = { listening: false, listenerPid: null, watermark: 0, relayedTotal: 0, lastLagMs: 0 };

	constructor(private readonly options: RelayOptions) {
		this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
		this.pool.on('error', () => {});
	}

	async start(): Promise<void> {
		const { rows } = await this.pool.query<{ max: string | null }>('select max(id) as max from outbox');
		this.stats.watermark = Number(rows[0].max ?? 0);
		await this.connectListener();
		this.timers.push(setInterval(() => this.wake(), this.options.pollMs ?? 1000));
		this.timers.push(setInterval(() => void this.heartbeat(), this.options.heartbeatMs ?? 5000));
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.timers.forEach(clearInterval);
		await this.draining;
		await this.listener?.end().catch(() => {});
		await this.pool.end().catch(() => {});
	}

	/** Drains now (coalescing wake-ups that arrive during a drain). */
	wake(): void {
		if (this.stopped) return;
		if (this.draining) {
			this.drainAgain = true;
			return;
		}
		this.draining = this.drain().finally(() => {
			this.draining = null;
			if (this.drainAgain) {
				this.drainAgain = false;
				this.wake();
			}
		});
	}

	private async connectListener(): Promise<void> {
		const client = new pg.Client({ connectionString: this.options.databaseUrl });
		client.on('error', () => this.dropListener(client));
		client.on('end', () => this.dropListener(client));
		try {
			await client.connect();
			await client.query('listen cirrus_outbox');
			const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
			client.on('notification', () => this.wake());
			this.listener = client;
			this.stats.listening = true;
			this.stats.listenerPid = rows[0].pid;
			// Whatever committed while the listener was down is caught up now.
			this.wake();
		} catch (error) {
			this.options.log?.(`[relay] listener could not connect: ${(error as Error).message}`);
			await client.end().catch(() => {});
		}
	}

	private dropListener(client: pg.Client) {
		if (this.listener !== client) return;
		this.listener = null;
		this.stats.listening = false;
		this.stats.listenerPid = null;
	}

	/** A query through the listener proves it alive; a failed or missing one reconnects it. */
	private async heartbeat(): Promise<void> {
		if (this.stopped) return;
		const listener = this.listener;
		if (listener) {
			const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('heartbeat timeout')), 3000));
			try {
				await Promise.race([listener.query('select 1'), timeout]);
				return;
			} catch {
				this.dropListener(listener);
				await listener.end().catch(() => {});
			}
		}
		await this.connectListener();
	}

	private async drain(): Promise<void> {
		for (;;) {
			const { rows } = await this.pool.query<{ id: string; room: string; seq: string; event: string; payload: Record<string, unknown>; created_at: Date }>(
				`select o.id, r.room, r.seq, o.event, o.payload, o.created_at
				   from (select id, event, payload, created_at from outbox where id > $1 order by id limit $2) o
				   join outbox_room r on r.outbox_id = o.id
				  order by o.id, r.room`,
				[this.stats.watermark, BATCH]
			);
			if (!rows.length) return;
			const events: LiveEvent[] = rows.map((row) => ({
				room: row.room,
				seq: Number(row.seq),
				event: row.event,
				payload: row.payload,
				committedAt: row.created_at.toISOString()
			}));
			this.options.emit(events);
			const last = rows[rows.length - 1];
			this.stats.watermark = Number(last.id);
			this.stats.relayedTotal += new Set(rows.map((row) => row.id)).size;
			this.stats.lastLagMs = Date.now() - last.created_at.getTime();
			if (new Set(rows.map((row) => row.id)).size < BATCH) return;
		}
	}
}
