import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface Database {
	url: string;
	embedded: boolean;
	stop(): Promise<void>;
}

export const APP_DATABASE = 'cirrus';

export async function createDatabaseIfMissing(adminUrl: string, name: string, template?: string): Promise<boolean> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
		if (exists.rowCount) return false;
		await client.query(`create database ${pg.escapeIdentifier(name)}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}`);
		return true;
	} finally {
		await client.end();
	}
}

/** DATABASE_URL when set (any PostgreSQL >= 15), otherwise the embedded PostgreSQL in the data folder. */
export async function openDatabase(options: { databaseUrl: string | null; dataDir: string }): Promise<Database> {
	if (options.databaseUrl) {
		return { url: options.databaseUrl, embedded: false, stop: async () => {} };
	}
	const embedded = await startEmbeddedPostgres({ dataDir: options.dataDir });
	await createDatabaseIfMissing(embedded.adminUrl, APP_DATABASE);
	return { url: embedded.urlFor(APP_DATABASE), embedded: true, stop: embedded.stop };
}
