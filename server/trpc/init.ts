import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { Context } from './context';
import type { Permission } from '../auth/permissions';
import { AppError } from '../errors';

/**
 * Every procedure declares who may call it:
 * - public: anyone (sign-in);
 * - authenticated: any signed-in user, about themselves;
 * - client: an object of one client, named by `clientId` in the input (permission + tenant check);
 * - staff: staff only, with the permission.
 */
export type ProcedureScope = 'public' | 'authenticated' | 'client' | 'staff';
export interface ProcedureMeta {
	scope: ProcedureScope;
	permission: Permission | null;
}

const TRPC_CODE = {
	NOT_FOUND: 'NOT_FOUND',
	BAD_REQUEST: 'BAD_REQUEST',
	CONFLICT: 'CONFLICT',
	UNAUTHORIZED: 'UNAUTHORIZED',
	TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
	// Forbidden is answered exactly like missing, so ids cannot be probed.
	FORBIDDEN: 'NOT_FOUND'
} as const;

export function toTRPCError(error: unknown): unknown {
	if (error instanceof AppError) {
		return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
	}
	return error;
}

export const t = initTRPC
	.context<Context>()
	.meta<ProcedureMeta>()
	.create({
		transformer: superjson,
		errorFormatter({ shape, error }) {
			const cause = error.cause;
			let fieldErrors: Record<string, string[]> | undefined;
			if (cause instanceof ZodError) {
				fieldErrors = z.flattenError(cause).fieldErrors as Record<string, string[]>;
			} else if (cause instanceof AppError) {
				fieldErrors = cause.fieldErrors;
			}
			const internal = error.code === 'INTERNAL_SERVER_ERROR';
			return {
				...shape,
				message: cause instanceof ZodError ? 'Some fields need attention.' : internal ? 'Something went wrong on our side.' : shape.message,
				data: {
					code: shape.data.code,
					httpStatus: shape.data.httpStatus,
					fieldErrors,
					retryAfterSeconds: cause instanceof AppError ? cause.retryAfterSeconds : undefined
				}
			};
		}
	});
