import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createDatabaseIfMissing } from '../../server/db/database';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { migrate, openOrm } from '../../server/db/orm';

export interface BenchDatabase {
	orm: MikroORM;
	postgresVersion: string;
	stop(): Promise<void>;
}

const DATABASE = 'cirrus_bench';

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
	} finally {
		await client.end();
	}
}

/** The bench's own embedded PostgreSQL and migrated database; `fresh` starts from an empty database. */
export async function openBenchDatabase(options: { dataDir: string; fresh: boolean }): Promise<BenchDatabase> {
	const postgres = await startEmbeddedPostgres({ dataDir: options.dataDir });
	try {
		if (options.fresh) await dropDatabase(postgres.adminUrl, DATABASE);
		await createDatabaseIfMissing(postgres.adminUrl, DATABASE);
		const orm = await openOrm(postgres.urlFor(DATABASE));
		await migrate(orm);
		const [{ server_version: postgresVersion }]: { server_version: string }[] = await orm.em
			.fork()
			.getConnection()
			.execute('show server_version');
		return {
			orm,
			postgresVersion,
			async stop() {
				await orm.close();
				await postgres.stop();
			}
		};
	} catch (error) {
		await postgres.stop().catch(() => {});
		throw error;
	}
}
