import type { EntityManager } from '@mikro-orm/postgresql';
import { createTRPCClient, httpLink } from '@trpc/client';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import type { Actor } from '../../server/auth/actor';
import { appRouter, type AppRouter } from '../../server/trpc/root.router';
import { contextFor } from './factories';

/**
 * A tRPC client wired to the router through the fetch adapter, in-process: errors come back
 * through the real error formatter, exactly as the pages receive them (message, code, fieldErrors).
 */
export function httpClientFor(em: EntityManager, actor: Actor | null) {
	const context = contextFor(em, actor);
	return createTRPCClient<AppRouter>({
		links: [
			httpLink({
				url: 'http://console.test/api/trpc',
				transformer: superjson,
				fetch: (url, init) =>
					fetchRequestHandler({
						endpoint: '/api/trpc',
						req: new Request(url, init as RequestInit),
						router: appRouter,
						createContext: () => context
					})
			})
		]
	});
}
