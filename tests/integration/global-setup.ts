import type { TestProject } from 'vitest/node';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { migrate, openOrm } from '../../server/db/orm';
import { ensureBuiltInRoles } from '../../server/db/seed';
import { TEMPLATE_DATABASE, databaseUrl } from './database-url';

declare module 'vitest' {
	export interface ProvidedContext {
		/** A connection to the test PostgreSQL with the right to create and drop databases. */
		adminUrl: string;
	}
}

/**
 * embedded-postgres registers an exit hook that ends the process with code 0 once the event
 * loop drains, which would turn vitest's failure exit code into success: keep the code vitest set.
 */
function keepVitestExitCode() {
	let code: typeof process.exitCode;
	process.on('beforeExit', () => {
		code ??= process.exitCode;
	});
	process.on('exit', () => {
		if (code) process.exitCode = code;
	});
}
keepVitestExitCode();

const dataDir = resolve(process.env.CIRRUS_DATA_DIR ?? '.data', 'test');

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A fresh cluster every run; but never pull the folder from under another run that is still using it. */
function resetDataDir() {
	const clusterDir = resolve(dataDir, 'pg');
	const pidFile = join(clusterDir, 'postmaster.pid');
	if (existsSync(pidFile)) {
		const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
		if (pid && isAlive(pid)) {
			throw new Error(`Another test run's PostgreSQL (pid ${pid}) is using ${clusterDir}. Wait for it to finish, or stop it with: kill ${pid}`);
		}
	}
	rmSync(dataDir, { recursive: true, force: true });
	// embedded-postgres.ts falls back to this folder when root's postgres user cannot enter dataDir's parents.
	const fallback = join(tmpdir(), `cirrus-pg-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 12)}`);
	rmSync(fallback, { recursive: true, force: true });
}

async function recreateTemplate(adminUrl: string) {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		const name = pg.escapeIdentifier(TEMPLATE_DATABASE);
		await client.query(`drop database if exists ${name} with (force)`);
		await client.query(`create database ${name}`);
	} finally {
		await client.end();
	}
}

/** Migrates the template once; every test file then clones it in milliseconds. */
async function buildTemplate(adminUrl: string) {
	await recreateTemplate(adminUrl);
	const orm = await openOrm(databaseUrl(adminUrl, TEMPLATE_DATABASE));
	try {
		await migrate(orm);
		await ensureBuiltInRoles(orm.em.fork());
	} finally {
		await orm.close();
	}
}

export default async function setup(project: TestProject) {
	let adminUrl = process.env.DATABASE_URL;
	let stop = async () => {};
	if (!adminUrl) {
		resetDataDir();
		// Durability is pointless for throw-away test data and costs seconds on every commit.
		process.env.CIRRUS_PG_FSYNC ??= 'off';
		const database = await startEmbeddedPostgres({ dataDir });
		adminUrl = database.adminUrl;
		stop = database.stop;
	}
	try {
		await buildTemplate(adminUrl);
	} catch (error) {
		await stop();
		throw error;
	}
	project.provide('adminUrl', adminUrl);
	return stop;
}
