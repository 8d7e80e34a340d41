/**
 * Latency histogram in 0.1 ms buckets up to 60 s: constant memory however many deliveries a soak
 * records, percentiles exact to 0.1 ms. Negative values (an event that reached the socket before
 * the HTTP response that made it) are counted in their own bucket and kept exactly in `min`.
 */
const BUCKET_MS = 0.1;
const BUCKETS = 600_000;

export class LatencyHistogram {
	private readonly counts = new Uint32Array(BUCKETS + 1);
	private negative = 0;
	count = 0;
	min = Infinity;
	max = -Infinity;

	record(ms: number): void {
		this.count++;
		if (ms < this.min) this.min = ms;
		if (ms > this.max) this.max = ms;
		if (ms < 0) this.negative++;
		else this.counts[Math.min(BUCKETS, Math.floor(ms / BUCKET_MS))]++;
	}

	/** Nearest-rank percentile, reported as the upper edge of its bucket. */
	percentile(fraction: number): number {
		if (!this.count) return NaN;
		let rank = Math.max(1, Math.ceil(fraction * this.count));
		if (rank <= this.negative) return this.min;
		rank -= this.negative;
		for (let bucket = 0; bucket <= BUCKETS; bucket++) {
			rank -= this.counts[bucket];
			if (rank <= 0) return bucket === BUCKETS ? this.max : Math.min(this.max, (bucket + 1) * BUCKET_MS);
		}
		return this.max;
	}

	summary(): LatencySummary {
		return { count: this.count, p50: this.percentile(0.5), p95: this.percentile(0.95), p99: this.percentile(0.99), max: this.max, min: this.min };
	}
}

export interface LatencySummary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	min: number;
}

/** Wall-clock now in ms with sub-millisecond precision, comparable across processes on one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();
