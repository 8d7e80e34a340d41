import type { EntityManager } from '@mikro-orm/postgresql';

export interface ActivityFacets {
	actors: { id: string; name: string; kind: string }[];
	actions: string[];
	targetTypes: string[];
}

/** More distinct values than this would not fit a select anyway; the walk stops there. */
const MAX_VALUES = 200;

/**
 * The distinct values of one column in one client's log, by a loose index scan: each step asks
 * the (client_id, <column>, id desc) index for the next value after the previous one, so the cost
 * is one index probe per distinct value (a few dozen), not a read of the client's rows. A plain
 * `select distinct` reads every entry (400,000 on a busy client); a static catalogue would go
 * stale as modules add actions and would offer values that never occur. Hiding staff-only entries
 * adds a filter to each probe, which stays cheap because staff-only entries are the exception.
 */
async function distinctValues(
	em: EntityManager,
	column: 'action' | 'target_type' | 'actor_user_id',
	clientId: string,
	hideStaffOnly: boolean
): Promise<string[]> {
	const visible = hideStaffOnly ? 'and not a.staff_only' : '';
	const rows: { value: string }[] = await em.execute(
		`with recursive walk(value, depth) as (
		   (select a.${column}, 1 from activity a where a.client_id = ? ${visible} order by a.${column} limit 1)
		   union all
		   select (select a.${column} from activity a where a.client_id = ? and a.${column} > walk.value ${visible} order by a.${column} limit 1), walk.depth + 1
		     from walk where walk.value is not null and walk.depth < ?
		 )
		 select value from walk where value is not null`,
		[clientId, clientId, MAX_VALUES]
	);
	return rows.map((row) => String(row.value));
}

/**
 * What the Activity tab's filter selects offer. Actors: the client's own users, plus the staff who
 * acted on this client, found by the same walk over (client_id, actor_user_id, id desc), so a
 * client user never sees the whole staff directory, only who worked on its account. (An EXISTS
 * per staff user was planned as a sequential scan of the log: 1.5 s on 400,000 entries.)
 */
export async function activityFacets(em: EntityManager, clientId: string, hideStaffOnly: boolean): Promise<ActivityFacets> {
	const actorIds = await distinctValues(em, 'actor_user_id', clientId, hideStaffOnly);
	const actors: { id: string; name: string; kind: string }[] = await em.execute(
		`select u.id, u.name, u.kind from app_user u
		  where u.client_id = ? or (u.kind = 'staff' and u.id in (select jsonb_array_elements_text(?::jsonb)::uuid))
		  order by u.kind = 'staff', lower(u.name), u.id`,
		[clientId, JSON.stringify(actorIds)]
	);
	const actions = await distinctValues(em, 'action', clientId, hideStaffOnly);
	const targetTypes = await distinctValues(em, 'target_type', clientId, hideStaffOnly);
	return { actors: actors.map((actor) => ({ id: String(actor.id), name: actor.name, kind: actor.kind })), actions, targetTypes };
}
