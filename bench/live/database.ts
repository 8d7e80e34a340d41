import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createDatabaseIfMissing } from '../../server/db/database';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { migrate, openOrm } from '../../server/db/orm';
import { ensureBuiltInRoles } from '../../server/db/seed';
import { RoleSchema } from '../../server/modules/access/role.entity';
import { UserSchema } from '../../server/modules/access/user.entity';
import { createSession } from '../../server/auth/session.service';

export interface LiveBenchDatabase {
	orm: MikroORM;
	databaseUrl: string;
	postgresVersion: string;
	stop(): Promise<void>;
}

const DATABASE = 'cirrus_bench_live';

/**
 * PostgreSQL records when each transaction committed (pg_xact_commit_timestamp) only with this
 * setting, which needs a restart: the bench's commit-to-receive clock starts at the real commit.
 */
async function enableCommitTimestamps(dataDir: string): Promise<void> {
	const postgres = await startEmbeddedPostgres({ dataDir });
	try {
		const client = new pg.Client({ connectionString: postgres.adminUrl });
		await client.connect();
		await client.query('alter system set track_commit_timestamp = on').finally(() => client.end());
	} finally {
		await postgres.stop();
	}
}

/** A new embedded PostgreSQL in `dataDir` (anything there from an earlier run is removed first), migrated. */
export async function openFreshDatabase(dataDir: string): Promise<LiveBenchDatabase> {
	rmSync(dataDir, { recursive: true, force: true });
	await enableCommitTimestamps(dataDir);
	const postgres = await startEmbeddedPostgres({ dataDir });
	try {
		await createDatabaseIfMissing(postgres.adminUrl, DATABASE);
		const databaseUrl = postgres.urlFor(DATABASE);
		const orm = await openOrm(databaseUrl);
		try {
			await migrate(orm);
			await ensureBuiltInRoles(orm.em.fork());
			const connection = orm.em.fork().getConnection();
			const [{ server_version: postgresVersion }]: { server_version: string }[] = await connection.execute('show server_version');
			const [{ track_commit_timestamp: tracked }]: { track_commit_timestamp: string }[] = await connection.execute('show track_commit_timestamp');
			if (tracked !== 'on') throw new Error('track_commit_timestamp is off after the restart: commit times cannot be read.');
			return {
				orm,
				databaseUrl,
				postgresVersion,
				async stop() {
					await orm.close().catch(() => {});
					await postgres.stop();
				}
			};
		} catch (error) {
			await orm.close().catch(() => {});
			throw error;
		}
	} catch (error) {
		await postgres.stop().catch(() => {});
		throw error;
	}
}

export interface LiveFixtures {
	staffUserId: string;
	watchedClientId: string;
	otherClientIds: string[];
}

/** `1 + otherRooms` active clients and one super-admin staff user who watches them all. */
export async function createFixtures(em: EntityManager, otherRooms: number): Promise<LiveFixtures> {
	const clientIds: { id: string }[] = await em.getConnection().execute(
		`insert into client (id, name, email, company, type, billing_type, currency, status, status_reason, created_at, updated_at)
		 select gen_random_uuid(), 'Bench client ' || n, 'bench' || n || '@live.example', null, 'organization', 'postpaid', 'EUR', 'active', null, now(), now()
		   from generate_series(0, ?) as n
		 returning id`,
		[otherRooms]
	);
	const role = await em.findOneOrFail(RoleSchema, { builtInKey: 'super_admin' });
	const staffUserId = randomUUID();
	em.create(UserSchema, {
		id: staffUserId,
		kind: 'staff',
		clientId: null,
		roleId: role.id,
		email: 'bench-live@example.com',
		name: 'Bench Live',
		passwordHash: null,
		active: true,
		createdAt: new Date()
	});
	await em.flush();
	return { staffUserId, watchedClientId: clientIds[0].id, otherClientIds: clientIds.slice(1).map((row) => row.id) };
}

/** Session tokens for the staff user: one per wall screen, as real screens would sign in. */
export async function createSessionTokens(orm: MikroORM, userId: string, count: number): Promise<string[]> {
	const tokens: string[] = [];
	for (let index = 0; index < count; index++) {
		const { token } = await createSession(orm.em.fork(), userId, { ip: '127.0.0.1', userAgent: 'bench:live' });
		tokens.push(token);
	}
	return tokens;
}

/** The rooms' last sequence numbers as the database has them: what every socket must have reached. */
export async function lastSeqs(orm: MikroORM, rooms: Iterable<string>): Promise<Map<string, number>> {
	const wanted = [...new Set(rooms)];
	const rows: { room: string; last_seq: string }[] = await orm.em
		.fork()
		.getConnection()
		.execute('select room, last_seq from room_sequence where room = any(?::text[])', [`{${wanted.map((room) => `"${room}"`).join(',')}}`]);
	const seqs = new Map(wanted.map((room) => [room, 0]));
	for (const row of rows) seqs.set(row.room, Number(row.last_seq));
	return seqs;
}
