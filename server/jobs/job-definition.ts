import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';

export interface JobContext {
	/** A fresh fork per run: jobs run outside any request. */
	em: EntityManager;
	jobId: string;
}

/**
 * One background job: its queue name, the schema of its payload and its handler.
 *
 * Payloads carry a `version` literal and the schema accepts every version still in flight,
 * because a job queued by one release may run under the next.
 *
 * Handlers are idempotent: pg-boss delivers at least once (a node dying mid-job, an expired
 * claim), so a second run of the same job must find the work done and change nothing.
 */
export interface JobDefinition<Name extends string = string, Payload = unknown> {
	name: Name;
	payload: z.ZodType<Payload>;
	/**
	 * `exclusive`: at most one queued or running job per singleton key (pg-boss unique index),
	 * so scheduling the same key twice keeps one job. Every send must then carry a key.
	 */
	policy: 'standard' | 'exclusive';
	retry: { limit: number; delaySeconds: number; backoff: boolean };
	handler(context: JobContext, payload: Payload): Promise<void>;
}

export function defineJob<Name extends string, Payload>(definition: JobDefinition<Name, Payload>): JobDefinition<Name, Payload> {
	return definition;
}
