import type { MikroORM } from '@mikro-orm/postgresql';
import { PgBoss, fromKysely, type Job, type SendOptions } from 'pg-boss';
import { ALL_JOBS, jobDefinition } from './registry';
import type { JobDefinition } from './job-definition';
import { currentJobScheduler, setJobScheduler, type JobScheduler, type ScheduleOptions } from './scheduler';

/** Set when the process stops its runner; errors after that are the shutdown's own. */
let shuttingDown = false;

/** pg-boss keeps its tables in a schema of its own, in the app's database. */
export const JOB_SCHEMA = 'pgboss';

export interface JobRunnerOptions {
	databaseUrl: string;
	orm: MikroORM;
	/** Poll and run jobs in the background (production). Tests turn it off and call `runDueJobs()`. */
	workers?: boolean;
	pollingIntervalSeconds?: number;
	/** pg-boss's own timers (maintenance, supervision); off in tests to keep them quiet. */
	maintenance?: boolean;
	log?: (message: string) => void;
}

/**
 * pg-boss on the app's database: one per node. Several nodes share the queues; pg-boss claims
 * each job with `FOR UPDATE SKIP LOCKED`, so a job runs on one node at a time.
 */
export class JobRunner implements JobScheduler {
	private constructor(
		private readonly boss: PgBoss,
		private readonly orm: MikroORM,
		private readonly log: (message: string) => void
	) {}

	static async start(options: JobRunnerOptions): Promise<JobRunner> {
		const log = options.log ?? ((message: string) => console.error(message));
		const maintenance = options.maintenance ?? true;
		const boss = new PgBoss({
			connectionString: options.databaseUrl,
			schema: JOB_SCHEMA,
			application_name: 'cirrus-jobs',
			max: 4,
			supervise: maintenance,
			schedule: maintenance,
			registerInstance: maintenance
		});
		// pg-boss reports connection trouble as events; unhandled they would crash the process.
		// A terminal's Ctrl-C reaches the embedded PostgreSQL too, which then ends these connections
		// while the app is shutting down: that is expected, not worth a line each.
		boss.on('error', (error) => {
			if (!shuttingDown) log(`jobs: ${error instanceof Error ? error.message : String(error)}`);
		});
		await boss.start();
		const runner = new JobRunner(boss, options.orm, log);
		try {
			for (const definition of ALL_JOBS) {
				// Idempotent: every node creates the queues it works, the first one wins.
				await boss.createQueue(definition.name, {
					policy: definition.policy,
					retryLimit: definition.retry.limit,
					retryDelay: definition.retry.delaySeconds,
					retryBackoff: definition.retry.backoff
				});
				if (options.workers ?? true) {
					await boss.work<unknown>(
						definition.name,
						{ batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
						async (jobs) => {
							for (const job of jobs) await runner.run(definition, job);
						}
					);
				}
			}
		} catch (error) {
			await boss.stop({ graceful: false }).catch(() => {});
			throw error;
		}
		if (!currentJobScheduler()) setJobScheduler(runner);
		return runner;
	}

	async schedule(name: string, payload: unknown, options: ScheduleOptions): Promise<string | null> {
		const definition = jobDefinition(name);
		if (!definition) throw new Error(`Unknown job "${name}".`);
		if (definition.policy === 'exclusive' && !options.singletonKey) throw new Error(`Job "${name}" needs a singletonKey.`);
		const data = definition.payload.parse(payload) as object;
		const sendOptions: SendOptions = {};
		if (options.startAfter) sendOptions.startAfter = options.startAfter;
		if (options.singletonKey) sendOptions.singletonKey = options.singletonKey;
		if (options.tx) sendOptions.db = fromKysely(options.tx.getKysely());
		return this.boss.send(name, data, sendOptions);
	}

	/** Parses the payload and runs the handler on a fresh EntityManager; a throw makes pg-boss retry. */
	private async run(definition: JobDefinition, job: Job<unknown>): Promise<void> {
		const payload = definition.payload.parse(job.data);
		await definition.handler({ em: this.orm.em.fork(), jobId: job.id }, payload);
	}

	/**
	 * Runs every job that is due now, in this process, and returns how many completed. For tests
	 * and scripts: deterministic, no polling interval to wait for. Claims jobs the same way the
	 * workers do, so it never runs a job another node holds.
	 */
	async runDueJobs(): Promise<{ completed: number; failed: number }> {
		const outcome = { completed: 0, failed: 0 };
		for (const definition of ALL_JOBS) {
			for (;;) {
				const jobs = await this.boss.fetch<unknown>(definition.name, { batchSize: 20 });
				if (!jobs.length) break;
				for (const job of jobs) {
					try {
						await this.run(definition, job);
						await this.boss.complete(definition.name, job.id);
						outcome.completed++;
					} catch (error) {
						this.log(`jobs: ${definition.name} ${job.id} failed: ${(error as Error).message}`);
						await this.boss.fail(definition.name, job.id, { message: (error as Error).message });
						outcome.failed++;
					}
				}
			}
		}
		return outcome;
	}

	/** Waiting (created or retry) jobs of a queue, for tests and diagnostics. */
	queuedJobs(name: string) {
		return this.boss.findJobs<unknown>(name, { queued: true });
	}

	/** Lets running handlers finish (bounded), then closes pg-boss's pool. */
	async stop(): Promise<void> {
		shuttingDown = true;
		if (currentJobScheduler() === this) setJobScheduler(null);
		await this.boss.stop({ graceful: true, timeout: 10_000 });
	}
}

export function startJobs(options: JobRunnerOptions): Promise<JobRunner> {
	return JobRunner.start(options);
}
