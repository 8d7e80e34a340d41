import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startJobs, type JobRunner } from './job-runner';
import { scheduleJob } from './scheduler';
import { DISCIPLINARY_TRANSITION_JOB } from '../modules/disciplinary/disciplinary.service';
import { useTestDatabase } from '../../tests/integration/test-database';

const db = await useTestDatabase();
let runner: JobRunner;

beforeAll(async () => {
	runner = await startJobs({ databaseUrl: db.url, orm: db.orm, workers: false, maintenance: false, log: () => {} });
});

afterAll(async () => {
	await runner.stop();
});

const queuedKeys = async () => (await runner.queuedJobs(DISCIPLINARY_TRANSITION_JOB)).map((job) => job.singletonKey);
const later = () => new Date(Date.now() + 3_600_000);
const payload = () => ({ version: 1 as const, actionId: randomUUID(), transition: 'end' as const });

describe('scheduling inside a transaction', () => {
	it('a job queued in a transaction that rolls back never exists', async () => {
		const key = `rolled-back-${randomUUID()}`;
		await expect(
			db.em().transactional(async (tx) => {
				await scheduleJob(DISCIPLINARY_TRANSITION_JOB, payload(), { singletonKey: key, startAfter: later(), tx });
				// Visible inside the transaction, on its connection.
				const inside: unknown[] = await tx.execute('select id from pgboss.job where singleton_key = ?', [key]);
				expect(inside).toHaveLength(1);
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect(await queuedKeys()).not.toContain(key);
	});

	it('a job queued in a transaction that commits is there afterwards', async () => {
		const key = `committed-${randomUUID()}`;
		await db.em().transactional(async (tx) => {
			await scheduleJob(DISCIPLINARY_TRANSITION_JOB, payload(), { singletonKey: key, startAfter: later(), tx });
		});
		expect(await queuedKeys()).toContain(key);
	});

	it('refuses an unknown payload shape and an exclusive job without a key', async () => {
		await expect(scheduleJob(DISCIPLINARY_TRANSITION_JOB, { version: 2 } as never, { singletonKey: 'x' })).rejects.toThrow();
		await expect(scheduleJob(DISCIPLINARY_TRANSITION_JOB, payload())).rejects.toThrow(/needs a singletonKey/);
	});
});
