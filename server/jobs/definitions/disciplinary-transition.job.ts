import { z } from 'zod';
import { defineJob } from '../job-definition';
import { DISCIPLINARY_TRANSITION_JOB, syncDisciplinaryAction } from '../../modules/disciplinary/disciplinary.service';

/** At a disciplinary action's start (scheduled -> active) or end (-> expired, a suspension gives the account back). */
export const disciplinaryTransitionJob = defineJob({
	name: DISCIPLINARY_TRANSITION_JOB,
	payload: z.object({ version: z.literal(1), actionId: z.uuid(), transition: z.enum(['start', 'end']) }),
	// One queued job per action and transition, however often it is scheduled.
	policy: 'exclusive',
	// A run that came early (clocks) or hit a lock timeout tries again shortly.
	retry: { limit: 8, delaySeconds: 2, backoff: true },
	async handler({ em }, payload) {
		await syncDisciplinaryAction(em, payload.actionId, payload.transition);
	}
});
