import type { LiveEvent } from '../../server/realtime/live-event';
import { LatencyHistogram } from './histogram';
import { SeqCheck } from './sockets';

/** The reason every watched mutation carries, so each event maps back to the HTTP call that made it. */
export const watchedReason = (number: number) => `bench live watched #${number}`;
const WATCHED_REASON = /^bench live watched #(\d+)$/;

interface MutationTimes {
	/** activity.createdAt: set by the app just before the commit. */
	createdAt?: number;
	/** When the HTTP call that made it returned: after the commit. */
	respondedAt?: number;
	/** Receive times that wait for `respondedAt`. */
	pending: number[];
	failed?: boolean;
}

function mutationNumber(event: LiveEvent): number | null {
	const payload = event.payload as { activity?: { after?: { statusReason?: string } }; client?: { statusReason?: string } };
	const reason = payload.activity?.after?.statusReason ?? payload.client?.statusReason;
	const match = typeof reason === 'string' ? WATCHED_REASON.exec(reason) : null;
	return match ? Number(match[1]) : null;
}

/** Latency windows for the soak report: the figures since the last sample. */
export interface Window {
	fromCommit: LatencyHistogram;
	deliveries: number;
}

/**
 * Everything the sockets receive from the live pipeline: per-socket sequence checks for every room,
 * and for the watched room the latency of each delivery, from three clocks:
 * - commit: PostgreSQL's own commit timestamp of the transaction (see CommitTimes), the figure the
 *   targets are judged on;
 * - activity.createdAt: taken by the app just before COMMIT, so slightly early (an upper bound);
 * - the HTTP response of the tRPC call: it returns after COMMIT, so late (a lower bound; negative
 *   when the socket heard before the HTTP reply arrived).
 */
export class PipelineTracker {
	readonly checks: SeqCheck[] = [];
	readonly rooms: string[] = [];
	readonly fromCommit = new LatencyHistogram();
	readonly fromCreatedAt = new LatencyHistogram();
	readonly fromResponse = new LatencyHistogram();
	/** Watched-room seq -> commit time, and the receive times that wait for it. */
	private readonly committedAt = new Map<number, number>();
	private readonly awaitingCommit = new Map<number, number[]>();
	readonly mutations = new Map<number, MutationTimes>();
	readonly trouble = new Map<string, number>();
	/** Mutations below this number are warm-up: checked for order and loss, not timed. */
	firstTimed = Number.POSITIVE_INFINITY;
	deliveries = 0;
	watchedDeliveries = 0;
	firstDeliveryAt = 0;
	lastDeliveryAt = 0;
	window: Window = { fromCommit: new LatencyHistogram(), deliveries: 0 };
	/** One real event of each kind, so the bare baseline broadcasts messages of the same size. */
	readonly samples = new Map<string, LiveEvent>();

	constructor(readonly watchedRoom: string) {}

	addSocket(room: string, startSeq: number): void {
		this.rooms.push(room);
		this.checks.push(new SeqCheck(startSeq + 1));
	}

	private times(number: number): MutationTimes {
		let times = this.mutations.get(number);
		if (!times) this.mutations.set(number, (times = { pending: [] }));
		return times;
	}

	onLive(index: number, raw: unknown, receivedAt: number): void {
		const event = raw as LiveEvent;
		this.deliveries++;
		this.lastDeliveryAt = receivedAt;
		this.firstDeliveryAt ||= receivedAt;
		const check = this.checks[index];
		if (!check || event.room !== this.rooms[index]) return this.note(`event for a room the socket did not join (${event.room})`);
		check.see(event.seq);
		if (event.room !== this.watchedRoom) return;
		this.watchedDeliveries++;
		if (!this.samples.has(event.event)) this.samples.set(event.event, event);
		const number = mutationNumber(event);
		if (number === null) return this.note(`watched-room event without a bench reason (${event.event})`);
		const times = this.times(number);
		const activity = (event.payload as { activity?: { createdAt?: string } }).activity;
		if (activity?.createdAt) times.createdAt ??= Date.parse(activity.createdAt);
		if (number < this.firstTimed) return;
		const committedAt = this.committedAt.get(event.seq);
		if (committedAt !== undefined) this.recordCommitted(receivedAt - committedAt);
		else {
			const waiting = this.awaitingCommit.get(event.seq);
			if (waiting) waiting.push(receivedAt);
			else this.awaitingCommit.set(event.seq, [receivedAt]);
		}
		this.fromCreatedAt.record(receivedAt - Math.max(Date.parse(event.committedAt), times.createdAt ?? 0));
		if (times.respondedAt !== undefined) this.fromResponse.record(receivedAt - times.respondedAt);
		else if (!times.failed) times.pending.push(receivedAt);
	}

	private recordCommitted(latency: number): void {
		this.fromCommit.record(latency);
		this.window.fromCommit.record(latency);
		this.window.deliveries++;
	}

	/** PostgreSQL's commit time of a watched-room event (CommitTimes reads them a few times a second). */
	onCommitted(seq: number, committedAt: number): void {
		this.committedAt.set(seq, committedAt);
		for (const receivedAt of this.awaitingCommit.get(seq) ?? []) this.recordCommitted(receivedAt - committedAt);
		this.awaitingCommit.delete(seq);
	}

	/** Deliveries whose commit time never turned up (should be none). */
	get uncommitted(): number {
		return [...this.awaitingCommit.values()].reduce((sum, list) => sum + list.length, 0);
	}

	onResponse(number: number, respondedAt: number, ok: boolean): void {
		const times = this.times(number);
		if (!ok) {
			times.failed = true;
			times.pending = [];
			return;
		}
		times.respondedAt = respondedAt;
		for (const receivedAt of times.pending) this.fromResponse.record(receivedAt - respondedAt);
		times.pending = [];
	}

	note(what: string): void {
		this.trouble.set(what, (this.trouble.get(what) ?? 0) + 1);
	}

	takeWindow(): Window {
		const window = this.window;
		this.window = { fromCommit: new LatencyHistogram(), deliveries: 0 };
		return window;
	}

	/** Loss and duplicates per socket once the rooms' final seqs are known. */
	integrity(lastSeqOf: (room: string) => number) {
		let lostSockets = 0;
		let duplicateSockets = 0;
		let lost = 0;
		let duplicates = 0;
		for (const [index, check] of this.checks.entries()) {
			const missing = check.missingUpTo(lastSeqOf(this.rooms[index]));
			if (missing) lostSockets++;
			if (check.duplicates) duplicateSockets++;
			lost += missing;
			duplicates += check.duplicates;
		}
		return { sockets: this.checks.length, lostSockets, duplicateSockets, lost, duplicates };
	}

	/** True once every socket has seen its room's last seq. */
	caughtUp(lastSeqOf: (room: string) => number): boolean {
		return this.checks.every((check, index) => check.expected > lastSeqOf(this.rooms[index]));
	}
}
