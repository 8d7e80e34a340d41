import type { Handle, RequestEvent } from '@sveltejs/kit';

/**
 * What the SvelteKit side needs from the running server. The server boots once (server/main.ts,
 * or the Vite plugin in dev) and parks this on globalThis, so the SvelteKit bundle never holds a
 * second copy of the ORM, the jobs or the sockets: it only imports this file.
 */
export interface AppServices {
	handle: Handle;
	trpc(event: RequestEvent): Promise<Response>;
	health(): Promise<{ status: 'ok' | 'degraded'; body: Record<string, unknown> }>;
	/** Prometheus text of this node's metrics. */
	metrics(): Promise<{ contentType: string; body: string }>;
	/** GET /clients/<id>/activity/export.csv: the filtered activity log, streamed. */
	activityCsv(event: RequestEvent): Promise<Response>;
	/** GET /clients/<id>/transactions/export.csv: the filtered ledger, streamed. */
	transactionsCsv(event: RequestEvent): Promise<Response>;
	/** POST /api/payments/test-card/callback: the test gateway's signed webhook. */
	testCardCallback(event: RequestEvent): Promise<Response>;
}

const KEY = Symbol.for('cirrus.app-services');

export function setAppServices(services: AppServices | undefined): void {
	(globalThis as Record<symbol, unknown>)[KEY] = services;
}

export function getAppServices(): AppServices {
	const services = (globalThis as Record<symbol, unknown>)[KEY] as AppServices | undefined;
	if (!services) throw new Error('The Cirrus server has not started: run `npm start` or `npm run dev`.');
	return services;
}
