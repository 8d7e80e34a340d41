import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/trpc/root.router';

/** A tRPC client; pass SvelteKit's `fetch` inside load functions so SSR forwards cookies. */
export function trpc(fetchFn: typeof fetch = fetch) {
	return createTRPCClient<AppRouter>({
		links: [httpBatchLink({ url: '/api/trpc', transformer: superjson, fetch: fetchFn })]
	});
}

export type FieldErrors = Record<string, string[] | undefined>;

export interface ReadableError {
	message: string;
	code: string | undefined;
	fieldErrors: FieldErrors;
}

/** The message, code and per-field messages of a failed call, for forms and error states. */
export function readError(error: unknown): ReadableError {
	if (error instanceof TRPCClientError) {
		const data = error.data as { code?: string; fieldErrors?: FieldErrors } | undefined;
		return { message: error.message, code: data?.code, fieldErrors: data?.fieldErrors ?? {} };
	}
	return { message: 'The console could not be reached. Check your connection and try again.', code: undefined, fieldErrors: {} };
}
