export const PAGE_SIZE = 25;

/** The tab's filters as URL parameters; unknown values are dropped rather than refused. */
export const KIND_LABELS: Record<string, string> = {
	credit_purchase: 'Credit purchase',
	payment: 'Payment',
	refund: 'Refund',
	credit_applied: 'Credit applied',
	adjustment: 'Adjustment'
};
export const STATUS_LABELS: Record<string, string> = { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' };

type Kind = 'credit_purchase' | 'payment' | 'refund' | 'credit_applied' | 'adjustment';
type Status = 'pending' | 'succeeded' | 'failed';

export interface LedgerParams {
	kind?: Kind;
	status?: Status;
	from?: string;
	to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readLedgerParams(search: URLSearchParams): LedgerParams {
	const kind = search.get('kind') ?? '';
	const status = search.get('status') ?? '';
	const from = search.get('from') ?? '';
	const to = search.get('to') ?? '';
	return {
		kind: kind in KIND_LABELS ? (kind as Kind) : undefined,
		status: status in STATUS_LABELS ? (status as Status) : undefined,
		from: DAY.test(from) ? from : undefined,
		to: DAY.test(to) ? to : undefined
	};
}

export function ledgerSearch(params: LedgerParams): string {
	const search = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
	const text = search.toString();
	return text ? `?${text}` : '';
}
