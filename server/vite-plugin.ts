import type { Plugin, ViteDevServer } from 'vite';

/** In `vite dev`, boot the same server side as production (database, services) inside Vite. */
export function cirrusDevServer(): Plugin {
	let stop: (() => Promise<void>) | undefined;
	return {
		name: 'cirrus-dev-server',
		apply: 'serve',
		async configureServer(server: ViteDevServer) {
			if (process.env.VITEST) return;
			const { startApp } = (await server.ssrLoadModule('/server/app.ts')) as typeof import('./app');
			const app = await startApp();
			stop = app.stop;
			if (server.httpServer) await app.attachRealtime(server.httpServer as import('node:http').Server);
			server.httpServer?.once('close', () => void stop?.());
			console.log(`Cirrus dev server: database ${app.database.embedded ? 'embedded' : 'DATABASE_URL'}${app.seeded ? ', demo data seeded' : ''}`);
		}
	};
}
