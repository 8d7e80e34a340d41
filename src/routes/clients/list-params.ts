import type { ListClientsInput } from '../../../server/modules/clients/client.schemas';

export const STATUSES = ['active', 'suspended', 'blocked', 'terminated'] as const;
export const SORTS = [
	{ value: 'name', label: 'Name' },
	{ value: 'email', label: 'Email' },
	{ value: 'createdAt', label: 'Created' }
] as const;

type Sort = ListClientsInput['sort'];
type Status = NonNullable<ListClientsInput['status']>;

const isStatus = (value: string | null): value is Status => STATUSES.some((status) => status === value);
const isSort = (value: string | null): value is Sort => SORTS.some((sort) => sort.value === value);

/** The list query as the URL holds it; unknown values fall back to the defaults instead of failing. */
export function readListParams(params: URLSearchParams) {
	const status = params.get('status');
	const sort = params.get('sort');
	return {
		search: params.get('search')?.trim().slice(0, 200) ?? '',
		status: isStatus(status) ? status : undefined,
		sort: isSort(sort) ? sort : ('name' as Sort),
		direction: params.get('direction') === 'desc' ? ('desc' as const) : ('asc' as const),
		cursor: params.get('cursor')?.slice(0, 500) || undefined
	};
}

export type ListParams = ReturnType<typeof readListParams>;

/** A /clients URL for these params; `cursor` is left out unless given, so filters start at page one. */
export function listHref(params: Omit<ListParams, 'cursor'>, cursor?: string | null) {
	const query = new URLSearchParams();
	if (params.search) query.set('search', params.search);
	if (params.status) query.set('status', params.status);
	if (params.sort !== 'name') query.set('sort', params.sort);
	if (params.direction !== 'asc') query.set('direction', params.direction);
	if (cursor) query.set('cursor', cursor);
	const text = query.toString();
	return text ? `/clients?${text}` : '/clients';
}
