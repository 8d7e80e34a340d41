/**
 * `npm run bench:live [-- --rate 20 --background-rate 10 --seconds 60 --soak <minutes>]` (issue 3, "Measured"):
 * the production server (`npx tsx server/main.ts`, own process, own embedded PostgreSQL) with 1,000
 * authenticated sockets in one client room and one socket in each of 200 other rooms, a steady
 * stream of clients.setStatus calls through tRPC over HTTP, and commit-to-receive latency at the
 * sockets against a bare Socket.IO broadcast of the same events to 1,000 sockets.
 * Targets: p99 < 100 ms at 1,000 sockets, p50 overhead over the bare broadcast < 5 ms, no event lost
 * or duplicated on any socket, server RSS flat after 10 minutes of steady load (`--soak 10`).
 */
import os from 'node:os';
import { resolve } from 'node:path';
import type { Socket } from 'socket.io-client';
import { SESSION_COOKIE } from '../server/trpc/context';
import { checkBuild, startServerProcess, type ServerProcess } from './live/app-server';
import { CommitTimes } from './live/commit-times';
import { runBaseline, type BaselineResult } from './live/baseline';
import { createFixtures, createSessionTokens, lastSeq, openFreshDatabase, type LiveBenchDatabase } from './live/database';
import { StatusCaller, steadyStream } from './live/mutations';
import { loadSeconds, parseOptions, type LiveBenchOptions } from './live/options';
import { PipelineTracker, watchedReason } from './live/pipeline-tracker';
import { latencyHeader, latencyRow, machineReport, mb, verdict } from './live/report';
import { closeSockets, connectSockets, subscribeAll } from './live/sockets';

const ROOT = resolve(import.meta.dirname, '..');
const DATA_DIR = resolve(ROOT, '.data/bench-live');
const APP_PORT = 3198;
const BARE_PORT = 3199;
/** Not timed: the first seconds pay for JIT and cold caches in the server and in this process. */
const WARMUP_SECONDS = 5;
/** Handshakes at once; each one validates a session in the database. */
const CONNECT_BATCH = 50;
const SAMPLE_EVERY_MS = 30_000;
/** The baseline never runs longer than the default measurement, even after a soak. */
const BASELINE_MAX_SECONDS = 60;
const P99_TARGET_MS = 100;
const P50_OVERHEAD_TARGET_MS = 5;
/** RSS counts as flat when the second half of a soak of at least 10 minutes grows it by less than this. */
const FLAT_GROWTH = 0.05;

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (value: number) => value.toLocaleString('en');

/** What this run started, stopped in reverse order at the end, on failure and on Ctrl-C. */
const running: { name: string; stop: () => Promise<void> }[] = [];
function own(name: string, stop: () => Promise<void>): () => Promise<void> {
	const entry = { name, stop };
	running.push(entry);
	return async () => {
		const index = running.indexOf(entry);
		if (index < 0) return;
		running.splice(index, 1);
		await stop();
	};
}
async function stopAll() {
	while (running.length) {
		const entry = running.pop()!;
		await entry.stop().catch((error: Error) => console.error(`Could not stop ${entry.name}: ${error.message}`));
	}
}
let interrupted = false;
process.on('SIGINT', () => {
	if (interrupted) return;
	interrupted = true;
	console.log('\nInterrupted: stopping the sockets, the server and PostgreSQL...');
	void stopAll().then(() => process.exit(130));
});

interface RssSample {
	atMs: number;
	rss: number | null;
}

interface LoadResult {
	tracker: PipelineTracker;
	watched: StatusCaller;
	background: StatusCaller;
	watchedCalls: number;
	backgroundCalls: number;
	late: number;
	measuredFrom: number;
	loadEndedAt: number;
	loadAverages: string[];
	drainMs: number;
	caughtUp: boolean;
	lastSeqs: Map<string, number>;
	startSeqs: Map<string, number>;
	rss: { idle: number | null; connected: number | null; afterLoad: number | null; settled: number | null; samples: RssSample[] };
	connectMs: number;
	serverPid: number | undefined;
}

async function roomSeqs(database: LiveBenchDatabase, rooms: Iterable<string>): Promise<Map<string, number>> {
	const seqs = new Map<string, number>();
	for (const room of new Set(rooms)) seqs.set(room, await lastSeq(database.orm, room));
	return seqs;
}

async function runPipeline(options: LiveBenchOptions, database: LiveBenchDatabase): Promise<LoadResult> {
	const em = database.orm.em.fork();
	const fixtures = await createFixtures(em, options.otherRooms);
	const total = options.watchers + options.otherRooms;
	const tokens = await createSessionTokens(database.orm, fixtures.staffUserId, total + 1);
	const watchedRoom = `client:${fixtures.watchedClientId}`;
	const roomFor = (index: number) => (index < options.watchers ? watchedRoom : `client:${fixtures.otherClientIds[index - options.watchers]}`);

	const url = `http://127.0.0.1:${APP_PORT}`;
	console.log(`Starting the server: npx tsx server/main.ts on ${url} (CIRRUS_SEED=off, DATABASE_URL = the bench database)...`);
	const server: ServerProcess = await startServerProcess({
		root: ROOT,
		script: 'server/main.ts',
		port: APP_PORT,
		env: { ...process.env, PORT: String(APP_PORT), HOST: '127.0.0.1', ORIGIN: url, DATABASE_URL: database.databaseUrl, CIRRUS_SEED: 'off' },
		ready: async (base) => (await fetch(`${base}/healthz`)).ok,
		logFile: resolve(DATA_DIR, 'server.log')
	});
	own('the server', () => server.stop());
	await sleep(1000);
	const idle = server.rss();

	const tracker = new PipelineTracker(watchedRoom);
	console.log(`Connecting ${count(total)} authenticated sockets in batches of ${CONNECT_BATCH}...`);
	const connectStarted = performance.now();
	const sockets: Socket[] = await connectSockets({
		url,
		count: total,
		cookieFor: (index) => `${SESSION_COOKIE}=${tokens[index]}`,
		batchSize: CONNECT_BATCH,
		onLive: (index, event, receivedAt) => tracker.onLive(index, event, receivedAt),
		onTrouble: (_index, what) => tracker.note(what)
	}).catch(async (error: Error) => {
		throw new Error(`${error.message}\nServer output:\n${server.output()}`);
	});
	const closePipelineSockets = own('the pipeline sockets', async () => closeSockets(sockets));
	const startSeqList = await subscribeAll(sockets, roomFor, CONNECT_BATCH);
	const startSeqs = new Map<string, number>();
	for (const [index, seq] of startSeqList.entries()) {
		tracker.addSocket(roomFor(index), seq);
		startSeqs.set(roomFor(index), seq);
	}
	const connectMs = performance.now() - connectStarted;
	const commitTimes = new CommitTimes(database.databaseUrl, watchedRoom, (seq, committedAt) => tracker.onCommitted(seq, committedAt));
	await commitTimes.start(startSeqs.get(watchedRoom) ?? 0);
	const stopCommitTimes = own('the commit-time reader', () => commitTimes.stop());
	await sleep(2000);
	const connected = server.rss();

	const loadSec = loadSeconds(options);
	console.log(
		`Load: ${options.rate} setStatus/s on the watched client, ${options.backgroundRate}/s across ${count(options.otherRooms)} other clients; ` +
			`${WARMUP_SECONDS} s warm-up, then ${loadSec >= 120 ? `${(loadSec / 60).toFixed(1)} min` : `${loadSec} s`} measured.`
	);
	const watched = new StatusCaller(url, tokens[total]);
	const background = new StatusCaller(url, tokens[total]);
	tracker.firstTimed = Math.ceil(options.rate * WARMUP_SECONDS);
	const loadBefore = loadAverage();
	const loadStartedAt = Date.now();
	const measuredFrom = loadStartedAt + WARMUP_SECONDS * 1000;
	const plannedEnd = measuredFrom + loadSec * 1000;
	// A server that dies mid-run ends the load at once; the error below says how it ended.
	const endAt = () => (server.exit() === null ? plannedEnd : 0);
	const samples: RssSample[] = [];
	const sampler = setInterval(() => {
		if (Date.now() < measuredFrom) return;
		const window = tracker.takeWindow().fromCommit.summary();
		const sample = { atMs: Date.now() - measuredFrom, rss: server.rss() };
		samples.push(sample);
		const minutes = Math.floor(sample.atMs / 60_000);
		const secs = Math.round((sample.atMs % 60_000) / 1000);
		console.log(
			`  [${String(minutes).padStart(2)}:${String(secs).padStart(2, '0')}] server RSS ${mb(sample.rss).padStart(9)} · ` +
				`last window: ${count(window.count)} watched deliveries, p50 ${window.p50.toFixed(1)} ms, p99 ${window.p99.toFixed(1)} ms, max ${window.max.toFixed(1)} ms`
		);
	}, SAMPLE_EVERY_MS);
	const streams = await Promise.all([
		steadyStream(options.rate, endAt, async (n) => {
			const respondedAt = await watched.flip(fixtures.watchedClientId, watchedReason(n));
			tracker.onResponse(n, respondedAt ?? 0, respondedAt !== null);
		}),
		options.backgroundRate > 0
			? steadyStream(options.backgroundRate, endAt, async (n) => {
					await background.flip(fixtures.otherClientIds[n % fixtures.otherClientIds.length], `bench live background #${n}`);
				})
			: Promise.resolve({ calls: 0, late: 0 })
	]);
	clearInterval(sampler);
	const loadEndedAt = Date.now();
	if (server.exit() !== null) {
		throw new Error(`The server stopped during the load (${server.exit()}); its log is ${resolve(DATA_DIR, 'server.log')}. Last lines:\n${server.output()}`);
	}

	// Every socket must reach its room's last seq as the database has it.
	const drainStarted = Date.now();
	const lastSeqs = await roomSeqs(database, tracker.rooms);
	const lastSeqOf = (room: string) => lastSeqs.get(room) ?? 0;
	while (!tracker.caughtUp(lastSeqOf) && Date.now() - drainStarted < 30_000) await sleep(50);
	const drainMs = Date.now() - drainStarted;
	await commitTimes.poll();
	await stopCommitTimes();
	const afterLoad = server.rss();
	await sleep(5000);
	const settled = server.rss();
	const serverPid = server.child.pid;
	await closePipelineSockets();
	return {
		tracker,
		watched,
		background,
		watchedCalls: streams[0].calls,
		backgroundCalls: streams[1].calls,
		late: streams[0].late + streams[1].late,
		measuredFrom,
		loadEndedAt,
		loadAverages: [`before the load ${loadBefore}`, `after it ${loadAverage()}`],
		drainMs,
		caughtUp: tracker.caughtUp(lastSeqOf),
		lastSeqs,
		startSeqs,
		rss: { idle, connected, afterLoad, settled, samples },
		connectMs,
		serverPid
	};
}

function rssFlatness(samples: RssSample[], soakMinutes: number | null): { line: string; met: boolean | null } {
	const known = samples.filter((sample): sample is { atMs: number; rss: number } => sample.rss !== null);
	if (soakMinutes === null || soakMinutes < 10 || known.length < 4) {
		return { line: 'RSS flat after 10 minutes: not measured in this run (use --soak 10 or longer)', met: null };
	}
	const half = known.filter((sample) => sample.atMs >= known.at(-1)!.atMs / 2);
	const start = half[0];
	const end = known.at(-1)!;
	const growth = (end.rss - start.rss) / start.rss;
	const perMinute = (end.rss - start.rss) / 1024 ** 2 / ((end.atMs - start.atMs) / 60_000);
	const met = growth < FLAT_GROWTH;
	return {
		line:
			`RSS flat after 10 minutes (second half grows < ${FLAT_GROWTH * 100}%): ${mb(start.rss)} at ${seconds(start.atMs)} -> ${mb(end.rss)} at ${seconds(end.atMs)} ` +
			`(${(growth * 100).toFixed(1)}%, ${perMinute.toFixed(2)} MB/min), peak ${mb(Math.max(...known.map((sample) => sample.rss)))} -> ${verdict(met)}`,
		met
	};
}

function report(options: LiveBenchOptions, result: LoadResult, baseline: BaselineResult, startedAt: number) {
	const { tracker } = result;
	const lastSeqOf = (room: string) => result.lastSeqs.get(room) ?? 0;
	const integrity = tracker.integrity(lastSeqOf);
	const fromCommit = tracker.fromCommit.summary();
	const fromResponse = tracker.fromResponse.summary();
	const distinctEvents = [...result.lastSeqs].reduce((sum, [room, seq]) => sum + seq - (result.startSeqs.get(room) ?? 0), 0);
	const watchedEvents = lastSeqOf(tracker.watchedRoom) - (result.startSeqs.get(tracker.watchedRoom) ?? 0);
	const deliverySpan = Math.max(1, tracker.lastDeliveryAt - tracker.firstDeliveryAt) / 1000;
	const roundTrip = result.watched.roundTrip.summary();
	const errors = [...result.watched.errors, ...result.background.errors];

	console.log(`\n== Live pipeline: ${count(options.watchers)} sockets in one client room + ${count(options.otherRooms)} rooms x 1 socket ==`);
	console.log(`Server: npx tsx server/main.ts (group ${result.serverPid}) on 127.0.0.1:${APP_PORT}, production build, tRPC over HTTP, Socket.IO with the PostgreSQL adapter`);
	console.log(`Sockets connected and subscribed in ${seconds(result.connectMs)} (${count(integrity.sockets)} sockets, one staff session each)`);
	const measuredSeconds = (result.loadEndedAt - result.measuredFrom) / 1000;
	const achieved = (result.watchedCalls - tracker.firstTimed) / measuredSeconds;
	console.log(
		`Mutations (clients.setStatus, one at a time per stream): ${count(result.watchedCalls)} on the watched client (asked ${options.rate}/s, achieved ${achieved.toFixed(1)}/s after warm-up), ` +
			`${count(result.backgroundCalls)} on the others (${options.backgroundRate}/s); ` +
			`${errors.length ? `${count(result.watched.errorCount + result.background.errorCount)} FAILED: ${errors.map(([what, n]) => `${n}x ${what}`).join('; ')}` : 'none failed'}; ` +
			`${result.late} started late (previous call still running)`
	);
	console.log(`HTTP round trip of the watched mutations: p50 ${roundTrip.p50.toFixed(1)} ms, p95 ${roundTrip.p95.toFixed(1)} ms, p99 ${roundTrip.p99.toFixed(1)} ms, max ${roundTrip.max.toFixed(1)} ms`);

	console.log(`\nLatency at the ${count(options.watchers)} watched sockets (first ${WARMUP_SECONDS} s of warm-up not counted):`);
	console.log(latencyHeader());
	console.log(latencyRow('pipeline, commit -> receive', fromCommit));
	console.log(latencyRow('pipeline, activity.createdAt -> receive', tracker.fromCreatedAt.summary()));
	console.log(latencyRow('pipeline, HTTP response -> receive', fromResponse));
	console.log(latencyRow('bare Socket.IO broadcast, send -> receive', baseline.latency));
	console.log('  commit = PostgreSQL\'s commit timestamp of the transaction (track_commit_timestamp); the targets use this row.');
	console.log('  activity.createdAt is taken by the app just before COMMIT (an upper bound on the latency); the HTTP');
	console.log('  response returns after COMMIT (a lower bound; negative when the socket heard before the HTTP reply).');
	console.log('  All sockets live in this one Node process, the baseline\'s too: reading every socket\'s copy of each event one after');
	console.log('  another is part of both figures, so the difference of the p50s is what the pipeline adds.');
	if (tracker.uncommitted) console.log(`  ${count(tracker.uncommitted)} deliveries had no commit time and are not in the first row.`);

	console.log(`\nThroughput: ${count(Math.round(tracker.deliveries / deliverySpan))} socket deliveries/s (${count(tracker.deliveries)} in ${deliverySpan.toFixed(1)} s), ` +
		`${(distinctEvents / deliverySpan).toFixed(1)} distinct events/s (${count(distinctEvents)} room events, ${count(watchedEvents)} of them in the watched room)`);
	console.log(`Drain after the last mutation: ${seconds(result.drainMs)}${result.caughtUp ? '' : ' (GAVE UP: some sockets never reached the last seq)'}`);
	console.log(
		`Integrity: ${count(integrity.sockets)} sockets; lost ${count(integrity.lost)} (${integrity.lostSockets} sockets), duplicated ${count(integrity.duplicates)} (${integrity.duplicateSockets} sockets)` +
			`${tracker.trouble.size ? `; also: ${[...tracker.trouble].map(([what, n]) => `${n}x ${what}`).join('; ')}` : ''}`
	);
	console.log(
		`Server RSS (VmRSS of the node running server/main.ts): idle ${mb(result.rss.idle)}, ${count(integrity.sockets)} sockets before load ${mb(result.rss.connected)}, ` +
			`after load ${mb(result.rss.afterLoad)}, 5 s later ${mb(result.rss.settled)}`
	);

	console.log(`Machine load average (1/5/15 min): ${result.loadAverages.join(', ')}, after the baseline ${baseline.loadAverage}`);

	console.log(`\n== Baseline: bare Socket.IO server (own process, no auth, no database), ${count(baseline.sockets)} sockets in one room ==`);
	console.log(
		`${count(baseline.events)} events at ${baseline.perSecond.toFixed(1)}/s (the pipeline's achieved watched-room rate) with the pipeline's payloads; ` +
			`${count(Math.round(baseline.deliveriesPerSecond))} deliveries/s; lost ${count(baseline.lost)}, duplicated ${count(baseline.duplicates)}${baseline.trouble ? `, ${baseline.trouble} disconnects` : ''}`
	);

	const overhead = fromCommit.p50 - baseline.latency.p50;
	const zeroLoss = integrity.lost === 0 && integrity.duplicates === 0 && result.caughtUp && tracker.trouble.size === 0 && errors.length === 0;
	const flat = rssFlatness(result.rss.samples, options.soakMinutes);
	console.log('\n== Targets ==');
	console.log(`p99 < ${P99_TARGET_MS} ms at ${count(options.watchers)} sockets: ${fromCommit.p99.toFixed(1)} ms -> ${verdict(fromCommit.p99 < P99_TARGET_MS)}`);
	console.log(
		`p50 overhead over the bare broadcast < ${P50_OVERHEAD_TARGET_MS} ms: ${fromCommit.p50.toFixed(1)} − ${baseline.latency.p50.toFixed(1)} = ${overhead.toFixed(1)} ms -> ${verdict(overhead < P50_OVERHEAD_TARGET_MS)}; ` +
			`ratio p50 ${(fromCommit.p50 / baseline.latency.p50).toFixed(1)}x, p99 ${(fromCommit.p99 / baseline.latency.p99).toFixed(1)}x`
	);
	console.log(`Zero events lost or duplicated on every socket: ${verdict(zeroLoss)}`);
	console.log(flat.line);
	console.log(`\nTotal run time ${seconds(Date.now() - startedAt)}.`);
	return fromCommit.p99 < P99_TARGET_MS && overhead < P50_OVERHEAD_TARGET_MS && zeroLoss && flat.met !== false;
}

async function main() {
	const startedAt = Date.now();
	const options = parseOptions(process.argv.slice(2));
	console.log(`bench:live — ${checkBuild(ROOT)}`);
	console.log(`Fresh embedded PostgreSQL in ${DATA_DIR}...`);
	const database = await openFreshDatabase(DATA_DIR);
	own('PostgreSQL', () => database.stop());
	for (const line of machineReport(database.postgresVersion)) console.log(line);
	const result = await runPipeline(options, database);
	await stopAll();

	// The same events at the rate the pipeline really carried them (a loaded server may fall short of --rate).
	const eventsPerMutation = Math.max(1, result.tracker.samples.size);
	const timedEvents = Math.max(1, (result.watchedCalls - result.tracker.firstTimed) * eventsPerMutation);
	const perSecond = timedEvents / ((result.loadEndedAt - result.measuredFrom) / 1000);
	const events = Math.min(timedEvents, Math.round(perSecond * BASELINE_MAX_SECONDS));
	console.log(`Baseline: bare Socket.IO server on port ${BARE_PORT}, ${count(options.watchers)} sockets, ${count(events)} events at ${perSecond.toFixed(1)}/s...`);
	const baseline = await runBaseline({
		root: ROOT,
		port: BARE_PORT,
		sockets: options.watchers,
		count: events,
		perSecond,
		samples: [...result.tracker.samples.values()],
		batchSize: CONNECT_BATCH,
		register: (stop) => own('the bare Socket.IO server', stop)
	});
	await stopAll();
	const met = report(options, result, baseline, startedAt);
	console.log(met ? 'All measured targets met.' : 'SOME TARGETS NOT MET (see above).');
	process.exitCode = met ? 0 : 1;
}

try {
	await main();
} catch (error) {
	console.error(`\nbench:live failed: ${(error as Error).message}`);
	process.exitCode = 1;
} finally {
	await stopAll();
}
