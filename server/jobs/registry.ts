import { disciplinaryTransitionJob } from './definitions/disciplinary-transition.job';
import { subscriptionCancelJob } from './definitions/subscription-cancel.job';
import { ledgerConfirmJob } from './definitions/ledger-confirm.job';
import type { JobDefinition } from './job-definition';

/** Every job the runner knows: a queue is created and worked for each. A new job is one line here. */
export const JOB_DEFINITIONS = [disciplinaryTransitionJob, subscriptionCancelJob, ledgerConfirmJob] as const;

export type RegisteredJob = (typeof JOB_DEFINITIONS)[number];
export type JobName = RegisteredJob['name'];
export type JobPayloadOf<N extends JobName> = Extract<RegisteredJob, { name: N }> extends JobDefinition<N, infer P> ? P : never;

/**
 * The same list with payloads erased, for the runner: it always parses a payload with the
 * definition's own schema before handing it to that definition's handler.
 */
export const ALL_JOBS = JOB_DEFINITIONS as unknown as readonly JobDefinition[];

export function jobDefinition(name: string): JobDefinition | undefined {
	return ALL_JOBS.find((definition) => definition.name === name);
}
