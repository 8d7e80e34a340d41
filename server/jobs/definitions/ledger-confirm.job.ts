import { z } from 'zod';
import { defineJob } from '../job-definition';
import { LEDGER_CONFIRM_JOB } from '../../modules/ledger/ledger.jobs';
import { pollGatewayEntry } from '../../modules/ledger/ledger.service';
import { LedgerEntrySchema } from '../../modules/ledger/ledger-entry.entity';

/**
 * Polls the gateway about a pending charge and applies its answer once (a callback that came
 * first makes this a no-op). While the gateway still says pending, the run fails so pg-boss
 * retries it with backoff.
 */
export const ledgerConfirmJob = defineJob({
	name: LEDGER_CONFIRM_JOB,
	payload: z.object({ version: z.literal(1), entryId: z.uuid() }),
	policy: 'exclusive',
	retry: { limit: 10, delaySeconds: 2, backoff: true },
	async handler({ em }, payload) {
		await pollGatewayEntry(em, payload.entryId);
		const entry = await em.fork().findOne(LedgerEntrySchema, { id: payload.entryId });
		if (entry?.status === 'pending' && entry.gateway !== 'manual') throw new Error('The gateway has not settled this charge yet.');
	}
});
