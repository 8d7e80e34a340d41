import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityView } from '../../db/mutation';
import type { Actor } from '../../auth/actor';
import { listActivityPage } from './activity.repository';

/** The latest entries of one client's log; staff-only entries are hidden from the client's own users. */
export async function recentActivity(em: EntityManager, actor: Actor, clientId: string, limit = 10): Promise<ActivityView[]> {
	return (await listActivityPage(em, { clientId, hideStaffOnly: actor.kind !== 'staff', limit })).items;
}
