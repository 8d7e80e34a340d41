import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';

const WINDOW_SECONDS = 15 * 60;

export interface LoginGuard {
	/** Counts one attempt for this IP and this email; throws TOO_MANY_REQUESTS past the limit. */
	consume(ip: string | null, email: string): Promise<void>;
	reset(email: string): Promise<void>;
	close(): Promise<void>;
}

/**
 * Login rate limits kept in PostgreSQL, so they hold across app nodes:
 * 30 attempts per IP and 10 per account in 15 minutes.
 */
export function createLoginGuard(databaseUrl: string, limits = { perIp: 30, perAccount: 10 }): LoginGuard {
	const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
	// An idle connection dropped by a database restart or shutdown must not crash the process.
	pool.on('error', () => {});
	const common = { storeClient: pool, storeType: 'pool', tableName: 'rate_limit', tableCreated: true, duration: WINDOW_SECONDS };
	const perIp = new RateLimiterPostgres({ ...common, keyPrefix: 'login_ip', points: limits.perIp });
	const perAccount = new RateLimiterPostgres({ ...common, keyPrefix: 'login_account', points: limits.perAccount });

	const tooMany = (result: unknown) => {
		if (result instanceof RateLimiterRes) {
			const seconds = Math.ceil(result.msBeforeNext / 1000);
			return new AppError(
				'TOO_MANY_REQUESTS',
				`Too many sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
				undefined,
				seconds
			);
		}
		return result;
	};

	return {
		async consume(ip, email) {
			try {
				if (ip) await perIp.consume(ip);
				await perAccount.consume(email.toLowerCase());
			} catch (error) {
				throw tooMany(error);
			}
		},
		async reset(email) {
			await perAccount.delete(email.toLowerCase());
		},
		close: () => pool.end()
	};
}
