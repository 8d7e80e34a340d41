import { z } from 'zod';
import { defineJob } from '../job-definition';
import { SUBSCRIPTION_CANCEL_JOB, applyDueCancellation } from '../../modules/subscriptions/subscription.service';

/** At a pending cancellation's date: cancellation_pending → cancelled (a taken-back one is left alone). */
export const subscriptionCancelJob = defineJob({
	name: SUBSCRIPTION_CANCEL_JOB,
	payload: z.object({ version: z.literal(1), subscriptionId: z.uuid() }),
	policy: 'exclusive',
	// A run that came early (clocks) tries again shortly.
	retry: { limit: 8, delaySeconds: 2, backoff: true },
	async handler({ em }, payload) {
		await applyDueCancellation(em, payload.subscriptionId);
	}
});
