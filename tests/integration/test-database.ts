import type { EntityManager, MikroORM, Options } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { openOrm } from '../../server/db/orm';
import { createLoginGuard, type LoginGuard } from '../../server/auth/login-guard';
import { TEMPLATE_DATABASE, databaseUrl } from './database-url';

export interface TestDatabase {
	orm: MikroORM;
	url: string;
	/** A fresh EntityManager fork, so one step's identity map never hides what another wrote. */
	em(): EntityManager;
	/** Opens another ORM on the same database (e.g. with a query logger); closed with the database. */
	openOrm(overrides: Partial<Options>): Promise<MikroORM>;
}

const guards = new Map<string, LoginGuard>();

/** The login guard of the database an EntityManager talks to; one per test database, closed afterAll. */
export function loginGuardFor(em: EntityManager): LoginGuard {
	const url = em.config.get('clientUrl');
	if (!url) throw new Error('This EntityManager has no clientUrl.');
	let guard = guards.get(url);
	if (!guard) {
		guard = createLoginGuard(url);
		guards.set(url, guard);
	}
	return guard;
}

async function onAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: inject('adminUrl') });
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.end();
	}
}

/**
 * Gives the calling test file its own database, cloned from the migrated template, and drops
 * it after the file's tests. Call once at the top of a test file.
 */
export async function useTestDatabase(): Promise<TestDatabase> {
	const name = `t_${randomBytes(6).toString('hex')}`;
	await onAdmin((client) => client.query(`create database ${name} template ${pg.escapeIdentifier(TEMPLATE_DATABASE)}`));
	const url = databaseUrl(inject('adminUrl'), name);
	const orm = await openOrm(url);
	const extraOrms: MikroORM[] = [];

	afterAll(async () => {
		const guard = guards.get(url);
		guards.delete(url);
		await guard?.close();
		await Promise.all([orm, ...extraOrms].map((each) => each.close()));
		await onAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
	});

	return {
		orm,
		url,
		em: () => orm.em.fork(),
		async openOrm(overrides) {
			const extra = await openOrm(url, overrides);
			extraOrms.push(extra);
			return extra;
		}
	};
}
