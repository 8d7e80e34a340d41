import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface AppConfig {
	port: number;
	host: string;
	databaseUrl: string | null;
	dataDir: string;
	appUrl: string;
	version: string;
	seedDemo: boolean;
}

const packageJson = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
	const port = Number(env.PORT ?? 3000);
	if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}".`);
	const host = env.HOST ?? '0.0.0.0';
	return {
		port,
		host,
		databaseUrl: env.DATABASE_URL || null,
		dataDir: resolve(env.CIRRUS_DATA_DIR ?? '.data'),
		appUrl: env.ORIGIN ?? `http://localhost:${port}`,
		version: packageJson.version,
		seedDemo: env.CIRRUS_SEED !== 'off'
	};
}
