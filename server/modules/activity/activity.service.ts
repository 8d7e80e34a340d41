import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityView } from '../../db/mutation';
import type { Actor } from '../../auth/actor';
import { listActivityPage, type ActivityPage, type ActivityPageInput } from './activity.repository';
import { activityFacets, type ActivityFacets } from './activity.facets';
import type { ActivityFilters, ListActivityInput } from './activity.schemas';

/** Staff-only entries (internal actions) are not for the client's own users. */
const hidesStaffOnly = (actor: Actor) => actor.kind !== 'staff';

/** The latest entries of one client's log; staff-only entries are hidden from the client's own users. */
export async function recentActivity(em: EntityManager, actor: Actor, clientId: string, limit = 10): Promise<ActivityView[]> {
	return (await listActivityPage(em, { clientId, hideStaffOnly: hidesStaffOnly(actor), limit })).items;
}

/** Validated filters as the repository takes them (empty strings mean "any"). */
export function pageInput(actor: Actor, filters: ActivityFilters): Omit<ActivityPageInput, 'cursor' | 'limit'> {
	return {
		clientId: filters.clientId,
		actorUserId: filters.actorUserId,
		action: filters.action || undefined,
		targetType: filters.targetType || undefined,
		from: filters.from ? new Date(filters.from) : undefined,
		to: filters.to ? new Date(filters.to) : undefined,
		search: filters.search || undefined,
		hideStaffOnly: hidesStaffOnly(actor)
	};
}

export function listActivity(em: EntityManager, actor: Actor, input: ListActivityInput): Promise<ActivityPage> {
	return listActivityPage(em, { ...pageInput(actor, input), cursor: input.cursor, limit: input.limit });
}

export function listActivityFacets(em: EntityManager, actor: Actor, clientId: string): Promise<ActivityFacets> {
	return activityFacets(em, clientId, hidesStaffOnly(actor));
}
