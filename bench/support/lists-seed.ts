import type { EntityManager } from '@mikro-orm/postgresql';

/** Bump when the data below changes, so an older seeded bench database is rebuilt. */
export const SEED_VERSION = 'lists-v2';

export const CLIENT_COUNT = 10_000;
export const ACTIVITY_COUNT = 1_000_000;
/** Share of all activity rows that belong to the big client (0.4 of 1,000,000 = 400,000). */
const BIG_CLIENT_EVERY = 5;
const BIG_CLIENT_SLOTS = 2;

/** Deterministic ids, so the bench finds its clients again without a lookup table. */
export const clientIdSql = (ordinal: string) => `md5('bench-client-' || ${ordinal})::uuid`;
export const BIG_CLIENT_ORDINAL = 1;
/** A client that was busy long ago and quiet since: 60,000 rows, all among the oldest 150,000. */
export const ARCHIVED_CLIENT_ORDINAL = 2;
const ARCHIVED_UNTIL_ROW = 150_000;

/**
 * Begins one client name in twenty and sorts last, so a plan that walks the name index and filters
 * passes every other client before its first match: the worst case for the list's search.
 */
export const SEARCH_TERM = 'wonka';
/** The second word of one client name in seventeen, spread evenly over the alphabet: the usual case. */
export const SPREAD_SEARCH_TERM = 'labs';
export const FILTER_STATUS = 'suspended';
/** The action with the largest share (40%) of the big client's log, so a 5,000-page-deep page exists. */
export const COMMON_ACTION = 'ticket.replied';

const FIRST_WORDS = ['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'wonka', 'hooli', 'vandelay', 'cyberdyne',
	'soylent', 'tyrell', 'massive', 'aperture', 'black mesa', 'gringotts', 'monarch', 'oscorp', 'pied piper', 'northwind'];
const SECOND_WORDS = ['systems', 'labs', 'hosting', 'networks', 'cloud', 'media', 'foods', 'logistics', 'health', 'energy',
	'partners', 'digital', 'studio', 'works', 'group', 'capital', 'retail'];
const sqlArray = (words: readonly string[]) => `array[${words.map((word) => `'${word}'`).join(', ')}]`;

/** Rows of the big client's log cycle through these: ten slots, four of them COMMON_ACTION. */
const ACTIONS = [COMMON_ACTION, COMMON_ACTION, COMMON_ACTION, COMMON_ACTION, 'invoice.paid', 'invoice.paid',
	'client.status_changed', 'service.provisioned', 'user.signed_in', 'client.updated'];

export async function isSeeded(em: EntityManager): Promise<boolean> {
	const connection = em.getConnection();
	const [{ exists }]: { exists: boolean }[] = await connection.execute(`select to_regclass('bench_seed') is not null as exists`);
	if (!exists) return false;
	const marker: unknown[] = await connection.execute(`select 1 from bench_seed where version = ?`, [SEED_VERSION]);
	return marker.length > 0;
}

/** Set-based inserts (one statement per table) in one transaction, then fresh planner statistics. */
export async function seedListsData(em: EntityManager): Promise<void> {
	const connection = em.getConnection();
	await em.transactional(async (tx) => {
		const run = (sql: string) => tx.execute(sql, [], 'run');
		await run(`set local synchronous_commit = off`);
		await run(`
			insert into client (id, name, email, company, type, billing_type, currency, status, status_reason, created_at, updated_at)
			select ${clientIdSql('n')},
			       initcap((${sqlArray(FIRST_WORDS)})[1 + n % ${FIRST_WORDS.length}]) || ' '
			         || initcap((${sqlArray(SECOND_WORDS)})[1 + (n / ${FIRST_WORDS.length}) % ${SECOND_WORDS.length}]) || ' ' || n,
			       'billing' || n || '@' || replace((${sqlArray(FIRST_WORDS)})[1 + n % ${FIRST_WORDS.length}], ' ', '') || '.example',
			       case when n % 3 = 0 then null else 'Company ' || n end,
			       case when n % 4 = 0 then 'individual' else 'organization' end,
			       (array['prepaid', 'postpaid', 'manual'])[1 + n % 3],
			       (array['USD', 'EUR', 'GBP'])[1 + n % 3],
			       case when n % 10 = 0 then 'suspended' when n % 50 = 1 then 'blocked' when n % 100 = 2 then 'terminated' else 'active' end,
			       case when n % 10 = 0 then 'Overdue invoices' end,
			       now() - (${CLIENT_COUNT} - n) * interval '1 hour',
			       now() - (${CLIENT_COUNT} - n) * interval '1 hour'
			  from generate_series(1, ${CLIENT_COUNT}) as n`);
		// Two rows in five go to the big client, interleaved with everyone else's as in real life,
		// so its deep pages sit on heap pages scattered over the whole table. The archived client's
		// rows are all old: a plan that walks the whole log newest-first to find them would show.
		await run(`
			insert into activity (client_id, actor_user_id, actor_name, actor_kind, action, target_type, target_id,
			                      summary, before, after, staff_only, ip, user_agent, created_at)
			select case when g % ${BIG_CLIENT_EVERY} < ${BIG_CLIENT_SLOTS} then ${clientIdSql(String(BIG_CLIENT_ORDINAL))}
			            when g <= ${ARCHIVED_UNTIL_ROW} and g % ${BIG_CLIENT_EVERY} < ${BIG_CLIENT_SLOTS * 2}
			              then ${clientIdSql(String(ARCHIVED_CLIENT_ORDINAL))}
			            else ${clientIdSql(`(3 + (g::bigint * 7919) % ${CLIENT_COUNT - 2})`)} end,
			       null, 'Bench Agent', 'staff',
			       (${sqlArray(ACTIONS)})[1 + (g / ${BIG_CLIENT_EVERY}) % ${ACTIONS.length}],
			       'ticket', 'T-' || g,
			       'Bench activity entry number ' || g,
			       case when g % 7 = 0 then jsonb_build_object('status', 'open') end,
			       case when g % 7 = 0 then jsonb_build_object('status', 'answered') end,
			       (g / 50) % 10 = 0,
			       '203.0.113.' || (g % 250), 'Mozilla/5.0 (bench)',
			       now() - (${ACTIVITY_COUNT} - g) * interval '30 seconds'
			  from generate_series(1, ${ACTIVITY_COUNT}) as g`);
		await run(`create table bench_seed (version text primary key, seeded_at timestamptz not null default now())`);
		await run(`insert into bench_seed (version) values ('${SEED_VERSION}')`);
	});
	await connection.execute('vacuum analyze client');
	await connection.execute('vacuum analyze activity');
}
