import type { Handle, RequestEvent } from '@sveltejs/kit';
import { RequestContext, type MikroORM } from '@mikro-orm/postgresql';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../trpc/root.router';
import { SESSION_COOKIE, type AppDeps, type CookieJar } from '../trpc/context';
import { validateSessionToken } from '../auth/session.service';
import type { AppServices } from '../app-context';
import { activityCsvResponse } from '../modules/activity/activity.export';
import { ledgerCsvResponse } from '../modules/ledger/ledger.export';
import { testCardCallbackResponse } from '../modules/payments/test-card.callback';

const MAX_BODY_BYTES = 1024 * 1024;

function requestMeta(event: RequestEvent) {
	let ip: string | null = null;
	try {
		ip = event.getClientAddress();
	} catch {
		ip = null;
	}
	return { ip, userAgent: event.request.headers.get('user-agent')?.slice(0, 500) ?? null };
}

function cookieJar(event: RequestEvent): CookieJar {
	const secure = event.url.protocol === 'https:';
	return {
		get: (name) => event.cookies.get(name),
		set: (name, value, { maxAgeSeconds }) =>
			event.cookies.set(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds }),
		delete: (name) => event.cookies.delete(name, { path: '/', secure })
	};
}

/** The request with its body read up to the limit (declared length or not); null when larger. */
async function withBoundedBody(request: Request): Promise<Request | null> {
	if (!request.body) return request;
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return null;
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > MAX_BODY_BYTES) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}
	return new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.concat(chunks) });
}

/**
 * Mutations only from our own pages: a browser always sends Origin on a cross-site POST. The
 * Origin is compared with the Host the browser used, so the check holds behind any host name.
 */
function isCrossSiteWrite(event: RequestEvent): boolean {
	if (event.request.method === 'GET' || event.request.method === 'HEAD') return false;
	if (event.request.headers.get('sec-fetch-site') === 'cross-site') return true;
	const origin = event.request.headers.get('origin');
	if (!origin) return false;
	try {
		return new URL(origin).host !== (event.request.headers.get('host') ?? event.url.host);
	} catch {
		return true;
	}
}

export function createKitBridge(orm: MikroORM, deps: AppDeps, probes: Pick<AppServices, 'health' | 'metrics'>): AppServices {
	const handle: Handle = async ({ event, resolve }) => {
		if (isCrossSiteWrite(event)) {
			return new Response(JSON.stringify({ error: 'Cross-site requests are not allowed.' }), {
				status: 403,
				headers: { 'content-type': 'application/json' }
			});
		}
		const em = orm.em.fork();
		return RequestContext.create(em, async () => {
			event.locals.em = em;
			event.locals.actor = null;
			const token = event.cookies.get(SESSION_COOKIE) ?? null;
			if (token) {
				const validated = await validateSessionToken(em, token, requestMeta(event));
				if (validated) event.locals.actor = validated.actor;
				else cookieJar(event).delete(SESSION_COOKIE);
			}
			const response = await resolve(event);
			response.headers.set('x-content-type-options', 'nosniff');
			response.headers.set('referrer-policy', 'same-origin');
			response.headers.set('x-frame-options', 'DENY');
			return response;
		});
	};

	const trpc = async (event: RequestEvent) => {
		const request = await withBoundedBody(event.request);
		if (!request) {
			return new Response(JSON.stringify({ error: { message: 'The request is too large.', code: 'PAYLOAD_TOO_LARGE' } }), {
				status: 413,
				headers: { 'content-type': 'application/json' }
			});
		}
		return fetchRequestHandler({
			endpoint: '/api/trpc',
			req: request,
			maxBatchSize: 25,
			router: appRouter,
			createContext: () => ({
				em: event.locals.em,
				actor: event.locals.actor,
				sessionToken: event.cookies.get(SESSION_COOKIE) ?? null,
				cookies: cookieJar(event),
				request: requestMeta(event),
				deps
			}),
			onError: ({ error, path }) => {
				if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path}:`, error.cause ?? error);
			}
		});
	};

	// Its own EntityManager: the stream outlives the request's handler.
	const activityCsv = (event: RequestEvent) =>
		activityCsvResponse(orm.em.fork(), event.locals.actor, event.params.clientId ?? '', event.url.searchParams);

	const transactionsCsv = (event: RequestEvent) =>
		ledgerCsvResponse(orm.em.fork(), event.locals.actor, event.params.clientId ?? '', event.url.searchParams);
	const testCardCallback = (event: RequestEvent) => testCardCallbackResponse(orm.em.fork(), event.request);

	return { handle, trpc, activityCsv, transactionsCsv, testCardCallback, ...probes };
}
