/** Latency summary of one measured query, in milliseconds. */
export interface Timing {
	p50: number;
	p95: number;
	max: number;
	samples: number;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], fraction: number): number {
	const rank = Math.max(1, Math.ceil(fraction * sorted.length));
	return sorted[rank - 1];
}

export function summarize(durations: readonly number[]): Timing {
	const sorted = [...durations].sort((a, b) => a - b);
	return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? 0, samples: sorted.length };
}

/**
 * Times several calls in the same loop, one of each per round, so a noisy neighbour on a shared
 * machine slows them all alike and the first/deep ratio compares like with like.
 */
export async function measureInterleaved(
	calls: readonly (() => Promise<unknown>)[],
	options: { warmup: number; samples: number }
): Promise<Timing[]> {
	for (let round = 0; round < options.warmup; round++) {
		for (const call of calls) await call();
	}
	const durations = calls.map(() => [] as number[]);
	for (let round = 0; round < options.samples; round++) {
		for (const [index, call] of calls.entries()) {
			const started = performance.now();
			await call();
			durations[index].push(performance.now() - started);
		}
	}
	return durations.map(summarize);
}

export const ms = (value: number) => value.toFixed(2).padStart(7);
