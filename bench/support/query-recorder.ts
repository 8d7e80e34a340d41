import type { EntityManager } from '@mikro-orm/postgresql';

export interface RecordedQuery {
	sql: string;
	params: unknown[];
}

/**
 * Runs a repository function against a stand-in EntityManager that records each SQL statement
 * and answers no rows, so the bench can EXPLAIN exactly what the repository sends and count
 * the statements a page costs. Only raw SQL exists (`em.execute`, `em.getConnection().execute`):
 * a repository reaching for anything else fails loudly here instead of being measured wrongly.
 */
export async function recordQueries(run: (em: EntityManager) => Promise<unknown>): Promise<RecordedQuery[]> {
	const recorded: RecordedQuery[] = [];
	const connection = {
		execute: async (sql: string, params: unknown[] = []) => {
			recorded.push({ sql, params });
			return [];
		}
	};
	await run({ execute: connection.execute, getConnection: () => connection } as unknown as EntityManager);
	return recorded;
}

/** The plan of one recorded statement: its node lines (index or sequential scans, sorts) and timings. */
export async function explainSummary(em: EntityManager, query: RecordedQuery): Promise<string[]> {
	const rows: Record<string, string>[] = await em
		.getConnection()
		.execute(`explain (analyze, buffers, costs off) ${query.sql}`, query.params);
	const kept: string[] = [];
	let inPlanningSection = false;
	for (const [index, line] of rows.map((row) => row['QUERY PLAN']).entries()) {
		// "Planning:" opens the planner's own buffer counts, which say nothing about the scan.
		if (line.startsWith('Planning:')) inPlanningSection = true;
		if (line.startsWith('Planning Time') || line.startsWith('Execution Time')) inPlanningSection = false;
		if (inPlanningSection) continue;
		if (index === 0 || /->|Buffers|Index Cond|Filter|Rows Removed|Sort Method|Time:/.test(line)) kept.push(line);
	}
	return kept;
}

/** Shared buffers (cache hits plus reads) the statement touched: what a deep page costs, free of timing noise. */
export async function bufferCount(em: EntityManager, query: RecordedQuery): Promise<number> {
	const [row]: { 'QUERY PLAN': { Plan: Record<string, number> }[] }[] = await em
		.getConnection()
		.execute(`explain (analyze, buffers, format json) ${query.sql}`, query.params);
	const plan = row['QUERY PLAN'][0].Plan;
	return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
}
