export type AppErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT' | 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS' | 'FORBIDDEN';

/**
 * The one error type services throw. Forbidden objects are reported as NOT_FOUND by callers
 * (see `notFound()`), so ids cannot be probed.
 */
export class AppError extends Error {
	constructor(
		readonly code: AppErrorCode,
		message: string,
		readonly fieldErrors?: Record<string, string[]>,
		readonly retryAfterSeconds?: number
	) {
		super(message);
		this.name = 'AppError';
	}
}

export const notFound = (what = 'That item') => new AppError('NOT_FOUND', `${what} was not found.`);

export const fieldError = (field: string, message: string) =>
	new AppError('BAD_REQUEST', message, { [field]: [message] });
