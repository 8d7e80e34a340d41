import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobName, JobPayloadOf } from './registry';

export interface ScheduleOptions {
	/** Not before this time (pg-boss compares with the database clock). */
	startAfter?: Date;
	/** Deduplication key: on an `exclusive` queue a second job with the same key is not created. */
	singletonKey?: string;
	/**
	 * The transaction to enqueue in. The job row is then written through that transaction
	 * (pg-boss lives in the same database), so it commits or rolls back with the change that
	 * caused it: no job for a change that never happened, and no change left without its job
	 * when the process dies right after commit. This is why no separate outbox table is needed.
	 * Without it the job is sent at once on pg-boss's own connection, for callers that have
	 * already committed.
	 */
	tx?: EntityManager;
}

export interface JobScheduler {
	schedule(name: string, payload: unknown, options: ScheduleOptions): Promise<string | null>;
}

/**
 * On globalThis, like the app services: in dev, Vite may evaluate this module again (HMR)
 * while the runner started at boot keeps running, and services must still find it.
 */
const KEY = Symbol.for('cirrus.job-scheduler');
const slot = globalThis as Record<symbol, JobScheduler | null | undefined>;

/** The job runner of this process registers itself here when it starts. */
export function setJobScheduler(scheduler: JobScheduler | null) {
	slot[KEY] = scheduler;
}

export function currentJobScheduler(): JobScheduler | null {
	return slot[KEY] ?? null;
}

/**
 * Queues a job. Returns its id, or null when the singleton key already has a queued job.
 * Services call it inside `mutate()` with `{ tx }` (preferred) or after their commit.
 */
export function scheduleJob<N extends JobName>(name: N, payload: JobPayloadOf<N>, options: ScheduleOptions = {}): Promise<string | null> {
	const scheduler = currentJobScheduler();
	if (!scheduler) throw new Error(`No job runner is running in this process, so "${name}" cannot be scheduled (start it with startJobs).`);
	return scheduler.schedule(name, payload, options);
}
