import os from 'node:os';
import { io as connect } from 'socket.io-client';
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
	perSecond: number;
	loadAverage: string;
}

/**
 * The same fan-out without the pipeline: `count` events at `perSecond` to `sockets` sockets in one
 * room of a bare Socket.IO server; latency = receive − the server's send time.
 */
export async function runBaseline(options: {
	root: string;
	port: number;
	sockets: number;
	count: number;
	perSecond: number;
	samples: LiveEvent[];
	batchSize: number;
	register: (stop: () => Promise<void>) => void;
}): Promise<BaselineResult> {
	const server: ServerProcess = await startServerProcess({
		root: options.root,
		script: 'bench/live/bare-server.ts',
		args: [String(options.port)],
		port: options.port,
		env: process.env,
		ready: async (url) => (await fetch(`${url}/ready`)).ok,
		timeoutMs: 30_000
	});
	options.register(() => server.stop());
	const latency = new LatencyHistogram();
	const checks = Array.from({ length: options.sockets }, () => new SeqCheck(1));
	let deliveries = 0;
	let first = 0;
	let last = 0;
	let trouble = 0;
	const sockets = await connectSockets({
		url: server.url,
		count: options.sockets,
		batchSize: options.batchSize,
		onLive(index, raw, receivedAt) {
			const event = raw as { seq: number; sentAt: number };
			checks[index].see(event.seq);
			latency.record(receivedAt - event.sentAt);
			deliveries++;
			first ||= receivedAt;
			last = receivedAt;
		},
		onTrouble: () => trouble++
	});
	const controller = connect(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
	try {
		await new Promise<void>((done, fail) => {
			controller.once('connect', () => done());
			controller.once('connect_error', fail);
		});
		const samples = options.samples.length
			? options.samples.map((sample) => ({ event: sample.event, payload: sample.payload }))
			: [{ event: 'none', payload: {} }];
		const timeoutMs = (options.count / options.perSecond) * 1000 + 60_000;
		await controller.timeout(timeoutMs).emitWithAck('broadcast', { count: options.count, perSecond: options.perSecond, samples });
		// The ack leaves after the last emit; give the sockets a moment to read what is in flight.
		const deadline = Date.now() + 15_000;
		while (checks.some((check) => check.expected <= options.count) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
	} finally {
		controller.disconnect();
		closeSockets(sockets);
		await server.stop();
	}
	return {
		latency: latency.summary(),
		sockets: options.sockets,
		events: options.count,
		lost: checks.reduce((sum, check) => sum + check.missingUpTo(options.count), 0),
		duplicates: checks.reduce((sum, check) => sum + check.duplicates, 0),
		deliveriesPerSecond: deliveries / Math.max(0.001, (last - first) / 1000),
		trouble,
		perSecond: options.perSecond,
		loadAverage: os.loadavg().map((value) => value.toFixed(2)).join(' ')
	};
}
