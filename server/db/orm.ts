import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations-list';

export function ormConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
	return defineConfig({
		clientUrl,
		entities,
		extensions: [Migrator],
		migrations: {
			path: 'migrations',
			migrationsList,
			snapshot: false,
			snapshotOnMigrate: false,
			transactional: true,
			allOrNothing: true
		},
		discovery: { warnWhenNoEntities: false },
		pool: { min: 0, max: 20 },
		debug: false,
		...overrides
	});
}

export async function openOrm(clientUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
	return MikroORM.init(ormConfig(clientUrl, overrides));
}

export async function migrate(orm: MikroORM): Promise<void> {
	await orm.migrator.up();
}
