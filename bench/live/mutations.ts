import { SESSION_COOKIE } from '../../server/trpc/context';
import { LatencyHistogram, wallNow } from './histogram';

type Status = 'active' | 'suspended';

/** clients.setStatus through tRPC over HTTP, exactly as the console's pages send it. */
export class StatusCaller {
	readonly roundTrip = new LatencyHistogram();
	readonly errors = new Map<string, number>();
	private readonly status = new Map<string, Status>();

	constructor(
		private readonly url: string,
		private readonly token: string
	) {}

	/** Flips the client between active and suspended; resolves with when the response was read, or null on failure. */
	async flip(clientId: string, reason: string): Promise<number | null> {
		const next: Status = this.status.get(clientId) === 'suspended' ? 'active' : 'suspended';
		const started = wallNow();
		try {
			const response = await fetch(`${this.url}/api/trpc/clients.setStatus`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${this.token}`, origin: this.url },
				body: JSON.stringify({ json: { clientId, status: next, reason } })
			});
			const body = await response.text();
			const respondedAt = wallNow();
			if (!response.ok) {
				this.fail(`HTTP ${response.status}: ${body.slice(0, 200)}`);
				return null;
			}
			this.status.set(clientId, next);
			this.roundTrip.record(respondedAt - started);
			return respondedAt;
		} catch (error) {
			this.fail((error as Error).message);
			return null;
		}
	}

	private fail(what: string) {
		this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
	}

	get errorCount(): number {
		return [...this.errors.values()].reduce((sum, count) => sum + count, 0);
	}
}

export interface StreamResult {
	calls: number;
	/** Calls that started more than one interval after their slot because the previous one was still running. */
	late: number;
}

/**
 * Calls `step(n)` at `rate` per second on a fixed schedule (no drift) until `until`. One call at a
 * time: two status flips of one client in flight at once would race each other's "already" check.
 */
export async function steadyStream(rate: number, until: () => number, step: (n: number) => Promise<void>, firstNumber = 0): Promise<StreamResult> {
	const interval = 1000 / rate;
	const started = performance.now();
	let calls = 0;
	let late = 0;
	for (let n = 0; ; n++) {
		const slot = started + n * interval;
		// A server that falls behind gets no catch-up burst after the end: the load stops on time.
		if (performance.timeOrigin + slot >= until() || Date.now() >= until()) break;
		const wait = slot - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		else if (-wait > interval) late++;
		await step(firstNumber + n);
		calls++;
	}
	return { calls, late };
}
