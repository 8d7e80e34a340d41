import type { EntityManager } from '@mikro-orm/postgresql';
import { ActivitySchema } from './activity.entity';
import { serializeActivity, type ActivityView } from '../../db/mutation';
import type { Actor } from '../../auth/actor';

/** The latest entries of one client's log; staff-only entries are hidden from the client's own users. */
export async function recentActivity(em: EntityManager, actor: Actor, clientId: string, limit = 10): Promise<ActivityView[]> {
	const rows = await em.find(
		ActivitySchema,
		{ clientId, ...(actor.kind === 'client' ? { staffOnly: false } : {}) },
		{ orderBy: { id: 'desc' }, limit }
	);
	return rows.map(serializeActivity);
}
