/** The polling job that asks a gateway about a pending charge (see ledger-confirm.job.ts). */
export const LEDGER_CONFIRM_JOB = 'ledger.confirm-payment';

/** The test gateway's "processing time" before our first status check. */
export const CONFIRM_DELAY_MS = 2000;
