import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig, type AppConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate, openOrm } from './db/orm';
import { ensureBuiltInRoles, isDatabaseEmpty, seedDemo } from './db/seed';
import { createLoginGuard, type LoginGuard } from './auth/login-guard';
import { createKitBridge } from './http/kit-bridge';
import { setAppServices } from './app-context';
import { createMailer, mailerOptionsFromEnv } from './modules/mail/mailer';
import type { Server as HttpServer } from 'node:http';
import { attachRealtime, type Realtime } from './realtime/socket-server';
import { startJobs, type JobRunner } from './jobs';

export interface RunningApp {
	config: AppConfig;
	database: Database;
	orm: MikroORM;
	seeded: boolean;
	/** Socket.IO and the outbox relay on the app's HTTP server. */
	attachRealtime(httpServer: HttpServer): Promise<Realtime>;
	stop(): Promise<void>;
}

/** Database, migrations, seed and the services SvelteKit calls into; shared by production and dev. */
export async function startApp(config: AppConfig = loadConfig()): Promise<RunningApp> {
	const database = await openDatabase(config);
	let orm: MikroORM | undefined;
	let loginGuard: LoginGuard | undefined;
	let jobs: JobRunner | undefined;
	try {
		orm = await openOrm(database.url);
		await migrate(orm);
		const em = orm.em.fork();
		await ensureBuiltInRoles(em);
		let seeded = false;
		if (config.seedDemo && (await isDatabaseEmpty(em))) {
			await seedDemo(em);
			seeded = true;
		}
		// After migrations: job handlers use the app's tables. pg-boss migrates its own schema.
		jobs = await startJobs({ databaseUrl: database.url, orm });
		loginGuard = createLoginGuard(database.url);
		const ormForHealth = orm;
		let realtime: Realtime | undefined;
		const health = async () => {
			const started = performance.now();
			try {
				await ormForHealth.em.fork().getConnection().execute('select 1');
				return {
					status: 'ok' as const,
					body: {
						status: 'ok',
						version: config.version,
						database: { state: 'up', embedded: database.embedded, latencyMs: Math.round(performance.now() - started) },
						live: realtime
							? { sockets: realtime.io.engine.clientsCount, relay: realtime.relay.stats }
							: { sockets: 0, relay: null }
					}
				};
			} catch (error) {
				return {
					status: 'degraded' as const,
					body: { status: 'degraded', version: config.version, database: { state: 'down', error: (error as Error).message } }
				};
			}
		};
		const mailer = createMailer(mailerOptionsFromEnv(process.env, config.appUrl));
		const metrics = async () =>
			realtime
				? { contentType: realtime.metrics.contentType, body: await realtime.metrics.render() }
				: { contentType: 'text/plain; version=0.0.4', body: '' };
		setAppServices(createKitBridge(orm, { loginGuard, mailer, appUrl: config.appUrl }, { health, metrics }));
		const ormToClose = orm;
		const guardToClose = loginGuard;
		const jobsToStop = jobs;
		return {
			config,
			database,
			orm,
			seeded,
			async attachRealtime(httpServer) {
				realtime = await attachRealtime(httpServer, { orm: ormToClose, databaseUrl: database.url });
				return realtime;
			},
			async stop() {
				await realtime?.close();
				setAppServices(undefined);
				mailer.close();
				await guardToClose.close();
				// Running handlers finish with the ORM still open.
				await jobsToStop.stop();
				await ormToClose.close();
				await database.stop();
			}
		};
	} catch (error) {
		await loginGuard?.close().catch(() => {});
		await jobs?.stop().catch(() => {});
		await orm?.close().catch(() => {});
		await database.stop().catch(() => {});
		throw error;
	}
}
