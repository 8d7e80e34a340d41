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
import { checkBuild, serverHeapUsed, startServerProcess, type ServerProcess } from './live/app-server';
import { CommitTimes } from './live/commit-times';
import { BareBaseline, type BaselineResult } from './live/baseline';
import { createFixtures, createSessionTokens, lastSeqs, openFreshDatabase, type LiveBenchDatabase } from './live/database';
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
/** The bare server has less to warm up: a couple of seconds of its broadcast. */
const BARE_WARMUP_SECONDS = 2;
/** Handshakes at once; each one validates a session in the database. */
const CONNECT_BATCH = 50;
const SAMPLE_EVERY_MS = 30_000;
/** Pipeline and bare broadcast take turns this long, so a neighbour's burst on a shared machine hits both. */
const SLICE_SECONDS = 10;
/** The baseline never runs longer than the default measurement, even after a soak. */
const BASELINE_MAX_SECONDS = 60;
const P99_TARGET_MS = 100;
const P50_OVERHEAD_TARGET_MS = 5;
/** RSS counts as flat when the second half of a soak of at least 10 minutes grows it by less than this. */
const FLAT_GROWTH = 0.02;

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
	heapUsed: number | null;
	/** Taken while the mutation streams ran (not during a bare slice or a drain). */
	underLoad: boolean;
}

interface LoadResult {
	tracker: PipelineTracker;
	baseline: BaselineResult;
	watched: StatusCaller;
	background: StatusCaller;
	watchedCalls: number;
	timedWatchedCalls: number;
	backgroundCalls: number;
	late: number;
	slices: number;
	/** Pipeline time inside timed slices, and what was delivered and committed then. */
	timedMs: number;
	timedDeliveries: number;
	timedRoomEvents: number;
	timedWatchedEvents: number;
	maxDrainMs: number;
	caughtUp: boolean;
	lastSeqs: Map<string, number>;
	loadAverages: string[];
	rss: { idle: number | null; connected: number | null; afterLoad: number | null; settled: number | null; samples: RssSample[] };
	connectMs: number;
	serverPid: number | undefined;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

async function runLoad(options: LiveBenchOptions, database: LiveBenchDatabase): Promise<LoadResult> {
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
	await sleep(500);
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
	for (const [index, seq] of startSeqList.entries()) tracker.addSocket(roomFor(index), seq);
	const connectMs = performance.now() - connectStarted;
	const commitTimes = new CommitTimes(database.databaseUrl, watchedRoom, (seq, committedAt) => tracker.onCommitted(seq, committedAt));
	await commitTimes.start(startSeqList[0] ?? 0);
	const stopCommitTimes = own('the commit-time reader', () => commitTimes.stop());

	console.log(`Starting the baseline: a bare Socket.IO server on port ${BARE_PORT} with ${count(options.watchers)} sockets...`);
	const baseline = new BareBaseline({ root: ROOT, port: BARE_PORT, sockets: options.watchers, batchSize: CONNECT_BATCH, samples: () => [...tracker.samples.values()] });
	await baseline.start((name, stop) => own(name, stop));
	await sleep(1000);
	const connected = server.rss();

	const loadMs = loadSeconds(options) * 1000;
	const soak = options.soakMinutes !== null;
	// A soak is one steady stretch (RSS under continuous load); a normal run alternates slices so the
	// pipeline and the bare broadcast see the same machine, however busy it gets.
	const sliceMs = soak ? loadMs : Math.min(SLICE_SECONDS * 1000, loadMs);
	console.log(
		`Load: ${options.rate} setStatus/s on the watched client, ${options.backgroundRate}/s across ${count(options.otherRooms)} other clients; ` +
			`${WARMUP_SECONDS} s warm-up, then ${soak ? `${options.soakMinutes} min` : `${loadMs / 1000} s`} measured` +
			`${soak ? ', then the baseline' : ` in slices of ${sliceMs / 1000} s, each followed by the bare broadcast of the same events at the same rate`}.`
	);
	const watched = new StatusCaller(url, tokens[total]);
	const background = new StatusCaller(url, tokens[total]);
	let watchedNext = 0;
	let backgroundNext = 0;
	let late = 0;
	let maxDrainMs = 0;
	let caughtUp = true;
	let seqs = await lastSeqs(database.orm, tracker.rooms);
	let underLoad = false;
	const lastSeqOf = (room: string) => seqs.get(room) ?? 0;

	/** Runs both mutation streams for `ms`, then waits until every socket has everything committed. */
	async function pipelineSlice(ms: number) {
		const before = { seqs, deliveries: tracker.deliveries };
		const plannedEnd = Date.now() + ms;
		// A server that dies mid-run ends the load at once; the error below says how it ended.
		const until = () => (server.exit() === null ? plannedEnd : 0);
		underLoad = true;
		const [first, second] = await Promise.all([
			steadyStream(options.rate, until, async (n) => {
				const respondedAt = await watched.flip(fixtures.watchedClientId, watchedReason(n));
				tracker.onResponse(n, respondedAt ?? 0, respondedAt !== null);
			}, watchedNext),
			options.backgroundRate > 0
				? steadyStream(options.backgroundRate, until, async (n) => {
						await background.flip(fixtures.otherClientIds[n % fixtures.otherClientIds.length], `bench live background #${n}`);
					}, backgroundNext)
				: Promise.resolve({ calls: 0, late: 0 })
		]);
		underLoad = false;
		const elapsedMs = ms + Math.max(0, Date.now() - plannedEnd);
		if (server.exit() !== null) {
			throw new Error(`The server stopped during the load (${server.exit()}); its log is ${resolve(DATA_DIR, 'server.log')}. Last lines:\n${server.output()}`);
		}
		watchedNext += first.calls;
		backgroundNext += second.calls;
		late += first.late + second.late;
		const drainStarted = Date.now();
		seqs = await lastSeqs(database.orm, tracker.rooms);
		while (!tracker.caughtUp(lastSeqOf) && Date.now() - drainStarted < 30_000) await sleep(20);
		maxDrainMs = Math.max(maxDrainMs, Date.now() - drainStarted);
		caughtUp &&= tracker.caughtUp(lastSeqOf);
		return {
			elapsedMs,
			deliveries: tracker.deliveries - before.deliveries,
			roomEvents: sum(seqs.values()) - sum(before.seqs.values()),
			watchedEvents: lastSeqOf(watchedRoom) - (before.seqs.get(watchedRoom) ?? 0)
		};
	}

	/** The bare broadcast of as many events as the pipeline slice carried, at its rate, for at most `maxSeconds`. */
	async function bareSlice(slice: { elapsedMs: number; watchedEvents: number }, timed: boolean, maxSeconds = BASELINE_MAX_SECONDS) {
		const perSecond = slice.watchedEvents / (slice.elapsedMs / 1000);
		await baseline.slice(Math.min(slice.watchedEvents, Math.round(perSecond * maxSeconds)), perSecond, timed);
	}

	const loadBefore = loadAverage();
	const warmup = await pipelineSlice(WARMUP_SECONDS * 1000);
	tracker.firstTimed = watchedNext;
	await bareSlice(warmup, false, BARE_WARMUP_SECONDS);

	const measuredFrom = Date.now();
	const samples: RssSample[] = [];
	const sampler = setInterval(async () => {
		const window = tracker.takeWindow().fromCommit.summary();
		const sample = { atMs: Date.now() - measuredFrom, underLoad, rss: server.rss(), heapUsed: await serverHeapUsed(url) };
		samples.push(sample);
		const minutes = Math.floor(sample.atMs / 60_000);
		const secs = Math.round((sample.atMs % 60_000) / 1000);
		console.log(
			`  [${String(minutes).padStart(2)}:${String(secs).padStart(2, '0')}] server RSS ${mb(sample.rss).padStart(9)}, V8 heap used ${mb(sample.heapUsed).padStart(9)} · ` +
				(window.count
					? `last window: ${count(window.count)} watched deliveries, p50 ${window.p50.toFixed(1)} ms, p99 ${window.p99.toFixed(1)} ms, max ${window.max.toFixed(1)} ms`
					: 'last window: no watched deliveries') +
				`${sample.underLoad ? '' : ' (sampled between pipeline slices)'}`
		);
	}, SAMPLE_EVERY_MS);
	let timedMs = 0;
	let timedDeliveries = 0;
	let timedRoomEvents = 0;
	let timedWatchedEvents = 0;
	let slices = 0;
	try {
		while (timedMs < loadMs - 1) {
			const slice = await pipelineSlice(Math.min(sliceMs, loadMs - timedMs));
			timedMs += slice.elapsedMs;
			timedDeliveries += slice.deliveries;
			timedRoomEvents += slice.roomEvents;
			timedWatchedEvents += slice.watchedEvents;
			slices++;
			await bareSlice(slice, true);
		}
	} finally {
		clearInterval(sampler);
	}
	const loadAfter = loadAverage();
	await commitTimes.poll();
	await stopCommitTimes();
	const afterLoad = server.rss();
	await sleep(3000);
	const settled = server.rss();
	await closePipelineSockets();
	return {
		tracker,
		baseline: baseline.result(),
		watched,
		background,
		watchedCalls: watchedNext,
		timedWatchedCalls: watchedNext - tracker.firstTimed,
		backgroundCalls: backgroundNext,
		late,
		slices,
		timedMs,
		timedDeliveries,
		timedRoomEvents,
		timedWatchedEvents,
		maxDrainMs,
		caughtUp,
		lastSeqs: seqs,
		loadAverages: [`before the load ${loadBefore}`, `after it ${loadAfter}`],
		rss: { idle, connected, afterLoad, settled, samples },
		connectMs,
		serverPid: server.child.pid
	};
}

function rssFlatness(samples: RssSample[], soakMinutes: number | null): { line: string; met: boolean | null } {
	const known = samples.filter((sample): sample is RssSample & { rss: number } => sample.rss !== null && sample.underLoad);
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
			`(${(growth * 100).toFixed(1)}%, ${perMinute.toFixed(2)} MB/min, ${((perMinute * 60 * 24) / 1024).toFixed(2)} GB/day if it went on), ` +
			`V8 heap used ${mb(start.heapUsed)} -> ${mb(end.heapUsed)}, peak RSS ${mb(Math.max(...known.map((sample) => sample.rss)))} -> ${verdict(met)}`,
		met
	};
}

function report(options: LiveBenchOptions, result: LoadResult, startedAt: number) {
	const { tracker, baseline } = result;
	const integrity = tracker.integrity((room) => result.lastSeqs.get(room) ?? 0);
	const fromCommit = tracker.fromCommit.summary();
	const timedSeconds = result.timedMs / 1000;
	const roundTrip = result.watched.roundTrip.summary();
	const errors = [...result.watched.errors, ...result.background.errors];

	console.log(`\n== Live pipeline: ${count(options.watchers)} sockets in one client room + ${count(options.otherRooms)} rooms x 1 socket ==`);
	console.log(`Server: npx tsx server/main.ts (group ${result.serverPid}) on 127.0.0.1:${APP_PORT}, production build, tRPC over HTTP, Socket.IO with the PostgreSQL adapter`);
	console.log(`Sockets connected and subscribed in ${seconds(result.connectMs)} (${count(integrity.sockets)} sockets, one staff session each)`);
	console.log(
		`Mutations (clients.setStatus, one call at a time per stream): ${count(result.watchedCalls)} on the watched client ` +
			`(asked ${options.rate}/s, achieved ${(result.timedWatchedCalls / timedSeconds).toFixed(1)}/s while timed), ` +
			`${count(result.backgroundCalls)} on the others (asked ${options.backgroundRate}/s); ` +
			`${errors.length ? `${count(result.watched.errorCount + result.background.errorCount)} FAILED: ${errors.map(([what, n]) => `${n}x ${what}`).join('; ')}` : 'none failed'}; ` +
			`${count(result.late)} started over one interval late (previous call still running)`
	);
	console.log(`HTTP round trip of the watched mutations: p50 ${roundTrip.p50.toFixed(1)} ms, p95 ${roundTrip.p95.toFixed(1)} ms, p99 ${roundTrip.p99.toFixed(1)} ms, max ${roundTrip.max.toFixed(1)} ms`);

	console.log(
		`\nLatency at the ${count(options.watchers)} watched sockets over ${timedSeconds.toFixed(1)} s of load (${WARMUP_SECONDS} s warm-up not counted)` +
			`${result.slices > 1 ? `, ${result.slices} slices alternating with the baseline's` : ''}:`
	);
	console.log(latencyHeader());
	console.log(latencyRow('pipeline, commit -> receive', fromCommit));
	console.log(latencyRow('pipeline, activity.createdAt -> receive', tracker.fromCreatedAt.summary()));
	console.log(latencyRow('pipeline, HTTP response -> receive', tracker.fromResponse.summary()));
	console.log(latencyRow('bare Socket.IO broadcast, send -> receive', baseline.latency));
	console.log("  commit = PostgreSQL's commit timestamp of the transaction (track_commit_timestamp); the targets use this row.");
	console.log('  activity.createdAt is taken by the app just before COMMIT (an upper bound on the latency); the HTTP');
	console.log('  response returns after COMMIT (a lower bound; negative when the socket heard before the HTTP reply).');
	console.log("  All sockets live in this one Node process, the baseline's too: reading every socket's copy of each event");
	console.log('  one after another is part of both figures, so the difference of the p50s is what the pipeline adds.');
	if (tracker.uncommitted) console.log(`  ${count(tracker.uncommitted)} deliveries had no commit time and are not in the first row.`);

	console.log(
		`\nThroughput while timed: ${count(Math.round(result.timedDeliveries / timedSeconds))} socket deliveries/s (${count(result.timedDeliveries)}), ` +
			`${(result.timedRoomEvents / timedSeconds).toFixed(1)} distinct events/s (${count(result.timedRoomEvents)} room events, ${count(result.timedWatchedEvents)} of them in the watched room)`
	);
	console.log(`Longest drain after a slice's last mutation: ${seconds(result.maxDrainMs)}${result.caughtUp ? '' : ' (GAVE UP: some sockets never reached the last seq)'}`);
	console.log(
		`Integrity: ${count(integrity.sockets)} sockets; lost ${count(integrity.lost)} (${integrity.lostSockets} sockets), duplicated ${count(integrity.duplicates)} (${integrity.duplicateSockets} sockets)` +
			`${tracker.trouble.size ? `; also: ${[...tracker.trouble].map(([what, n]) => `${n}x ${what}`).join('; ')}` : ''}`
	);
	console.log(
		`Server RSS (VmRSS of the node running server/main.ts): idle ${mb(result.rss.idle)}, ${count(integrity.sockets)} sockets before load ${mb(result.rss.connected)}, ` +
			`after load ${mb(result.rss.afterLoad)}, 3 s later ${mb(result.rss.settled)}`
	);
	console.log(`Machine load average (1/5/15 min): ${result.loadAverages.join(', ')}`);

	console.log(`\n== Baseline: bare Socket.IO server (own process, no auth, no database), ${count(baseline.sockets)} sockets in one room ==`);
	console.log(
		`${count(baseline.events)} timed events, each slice as many as the pipeline slice before it carried and at its rate, with the pipeline's payloads; ` +
			`${count(Math.round(baseline.deliveriesPerSecond))} deliveries/s; lost ${count(baseline.lost)}, duplicated ${count(baseline.duplicates)}${baseline.trouble ? `, ${baseline.trouble} disconnects` : ''}`
	);

	const overhead = fromCommit.p50 - baseline.latency.p50;
	const zeroLoss = integrity.lost === 0 && integrity.duplicates === 0 && result.caughtUp && tracker.trouble.size === 0 && errors.length === 0;
	const flat = rssFlatness(result.rss.samples, options.soakMinutes);
	console.log('\n== Targets ==');
	console.log(`p99 < ${P99_TARGET_MS} ms at ${count(options.watchers)} sockets: ${fromCommit.p99.toFixed(1)} ms -> ${verdict(fromCommit.p99 < P99_TARGET_MS)}`);
	console.log(
		`p50 overhead over the bare broadcast < ${P50_OVERHEAD_TARGET_MS} ms: ${fromCommit.p50.toFixed(1)} - ${baseline.latency.p50.toFixed(1)} = ${overhead.toFixed(1)} ms -> ${verdict(overhead < P50_OVERHEAD_TARGET_MS)}; ` +
			`ratio p50 ${(fromCommit.p50 / baseline.latency.p50).toFixed(2)}x, p99 ${(fromCommit.p99 / baseline.latency.p99).toFixed(2)}x`
	);
	console.log(`Zero events lost or duplicated on every socket: ${verdict(zeroLoss)}`);
	console.log(flat.line);
	if (result.timedWatchedCalls / timedSeconds < options.rate * 0.9) {
		console.log(`Note: the server carried only ${(result.timedWatchedCalls / timedSeconds).toFixed(1)} of the ${options.rate} mutations/s asked; the latency figures are at that rate.`);
	}
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
	const result = await runLoad(options, database);
	await stopAll();
	const met = report(options, result, startedAt);
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
