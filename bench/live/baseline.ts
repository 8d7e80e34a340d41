import os from 'node:os';
import { io as connect, type Socket } from 'socket.io-client';
import type { LiveEvent } from '../../server/realtime/live-event';
import { startServerProcess, type ServerProcess } from './app-server';
import { LatencyHistogram, type LatencySummary } from './histogram';
import { closeSockets, connectSockets, SeqCheck } from './sockets';

export interface BaselineResult {
	latency: LatencySummary;
	sockets: number;
	events: number;
	lost: number;
	duplicates: number;
	deliveriesPerSecond: number;
	trouble: number;
	loadAverage: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The same fan-out without the pipeline: a bare Socket.IO server in its own process with
 * `sockets` sockets in one room. The bench runs it in slices between the pipeline's, so both see
 * the same machine; latency = receive − the server's send time.
 */
export class BareBaseline {
	readonly latency = new LatencyHistogram();
	private checks: SeqCheck[] = [];
	private sockets: Socket[] = [];
	private controller: Socket | null = null;
	private server: ServerProcess | null = null;
	private timed = false;
	private sent = 0;
	private timedEvents = 0;
	private timedDeliveries = 0;
	private timedSeconds = 0;
	private trouble = 0;

	constructor(
		private readonly options: { root: string; port: number; sockets: number; batchSize: number; samples: () => LiveEvent[] }
	) {}

	async start(register: (name: string, stop: () => Promise<void>) => void): Promise<void> {
		this.server = await startServerProcess({
			root: this.options.root,
			script: 'bench/live/bare-server.ts',
			args: [String(this.options.port)],
			port: this.options.port,
			env: process.env,
			ready: async (url) => (await fetch(`${url}/ready`)).ok,
			timeoutMs: 30_000
		});
		register('the bare Socket.IO server', () => this.stop());
		this.checks = Array.from({ length: this.options.sockets }, () => new SeqCheck(1));
		this.sockets = await connectSockets({
			url: this.server.url,
			count: this.options.sockets,
			batchSize: this.options.batchSize,
			onLive: (index, raw, receivedAt) => {
				const event = raw as { seq: number; sentAt: number };
				this.checks[index].see(event.seq);
				if (!this.timed) return;
				this.latency.record(receivedAt - event.sentAt);
				this.timedDeliveries++;
			},
			onTrouble: () => this.trouble++
		});
		const controller = connect(this.server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
		await new Promise<void>((done, fail) => {
			controller.once('connect', () => done());
			controller.once('connect_error', fail);
		});
		this.controller = controller;
	}

	/** Broadcasts `count` events at `perSecond` and waits until every socket has them. */
	async slice(count: number, perSecond: number, timed: boolean): Promise<void> {
		if (!this.controller || count < 1) return;
		const samples = this.options.samples().map((sample) => ({ event: sample.event, payload: sample.payload }));
		this.timed = timed;
		const started = performance.now();
		await this.controller
			.timeout((count / perSecond) * 1000 + 60_000)
			.emitWithAck('broadcast', { count, perSecond, samples: samples.length ? samples : [{ event: 'none', payload: {} }] });
		this.sent += count;
		// The ack leaves after the last emit; the sockets may still be reading what is in flight.
		const deadline = Date.now() + 15_000;
		while (this.checks.some((check) => check.expected <= this.sent) && Date.now() < deadline) await sleep(20);
		if (timed) {
			this.timedEvents += count;
			this.timedSeconds += (performance.now() - started) / 1000;
		}
		this.timed = false;
	}

	result(): BaselineResult {
		return {
			latency: this.latency.summary(),
			sockets: this.options.sockets,
			events: this.timedEvents,
			lost: this.checks.reduce((sum, check) => sum + check.missingUpTo(this.sent), 0),
			duplicates: this.checks.reduce((sum, check) => sum + check.duplicates, 0),
			deliveriesPerSecond: this.timedDeliveries / Math.max(0.001, this.timedSeconds),
			trouble: this.trouble,
			loadAverage: os.loadavg().map((value) => value.toFixed(2)).join(' ')
		};
	}

	async stop(): Promise<void> {
		this.controller?.disconnect();
		this.controller = null;
		closeSockets(this.sockets);
		this.sockets = [];
		await this.server?.stop();
	}
}
