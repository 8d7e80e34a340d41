import type { ActivityView } from '../../../../../server/db/mutation';

/** The filter bar as the URL holds it: days as YYYY-MM-DD in the viewer's time zone. */
export interface ActivityParams {
	search: string;
	actor: string;
	action: string;
	target: string;
	from: string;
	to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function readActivityParams(query: URLSearchParams): ActivityParams {
	const read = (key: string, max: number) => query.get(key)?.trim().slice(0, max) ?? '';
	// Search is cut a little above the API's limit, so an over-long one still gets its field error.
	return { search: read('search', 250), actor: read('actor', 40), action: read('action', 80), target: read('target', 60), from: read('from', 40), to: read('to', 40) };
}

export const hasFilters = (params: ActivityParams) => Object.values(params).some(Boolean);

/**
 * A local day as an instant: `offsetDays` 0 is its first moment, 1 the first moment of the next
 * day (the exclusive end of an inclusive "to" day). A value that is not a day is passed on as
 * typed, so the API answers with the field's error.
 */
function dayStart(value: string, offsetDays: number): string {
	const match = DAY.exec(value);
	if (!match) return value;
	const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offsetDays);
	return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The API's filters for these params (without clientId). */
export function apiFilters(params: ActivityParams) {
	return {
		search: params.search || undefined,
		actorUserId: params.actor || undefined,
		action: params.action || undefined,
		targetType: params.target || undefined,
		from: params.from ? dayStart(params.from, 0) : undefined,
		to: params.to ? dayStart(params.to, 1) : undefined
	};
}

/** The field names of API errors, mapped back to the filter bar's inputs. */
export const FIELD_OF_API: Record<string, keyof ActivityParams> = {
	search: 'search',
	actorUserId: 'actor',
	action: 'action',
	targetType: 'target',
	from: 'from',
	to: 'to'
};

export function activityHref(clientId: string, params: Partial<ActivityParams>) {
	const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value) as [string, string][]);
	const text = query.toString();
	return `/clients/${clientId}/activity${text ? `?${text}` : ''}`;
}

/** The CSV export of exactly what the list shows (instants computed here, in the viewer's zone). */
export function exportHref(clientId: string, params: ActivityParams) {
	const query = new URLSearchParams(Object.entries(apiFilters(params)).filter(([, value]) => value) as [string, string][]);
	const text = query.toString();
	return `/clients/${clientId}/activity/export.csv${text ? `?${text}` : ''}`;
}

/**
 * Whether a pushed entry can join the list as is. Filters the entry itself cannot answer (the
 * actor's id is not in the event; full-text matching is PostgreSQL's) return 'ask', and the page
 * reloads its first page instead, so the server decides exactly.
 */
export function matchesFilters(entry: ActivityView, params: ActivityParams): boolean | 'ask' {
	const filters = apiFilters(params);
	if (filters.action && entry.action !== filters.action) return false;
	if (filters.targetType && entry.targetType !== filters.targetType) return false;
	const at = Date.parse(entry.createdAt);
	if (filters.from && at < Date.parse(filters.from)) return false;
	if (filters.to && at >= Date.parse(filters.to)) return false;
	return filters.actorUserId || filters.search ? 'ask' : true;
}
