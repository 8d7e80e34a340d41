import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors';

/**
 * Attempt limits for one-time codes and two-factor codes, kept in PostgreSQL's `rate_limit`
 * table (as the login guard does) so they hold across app nodes and restarts.
 *
 * The limiter runs its queries through the ORM's own connection pool, outside any transaction:
 * a counted attempt must stay counted even when the request that made it fails and rolls back.
 */
const LIMITS = {
	/** Code guesses (email OTP or TOTP) from one IP address. */
	codeVerifyPerIp: { keyPrefix: 'code_verify_ip', points: 30, duration: 15 * 60 },
	/** TOTP or recovery-code guesses against one account, whatever the IP. */
	totpVerifyPerUser: { keyPrefix: 'totp_verify_user', points: 10, duration: 15 * 60 },
	/** Current-password checks when changing a password, per user. */
	passwordCheckPerUser: { keyPrefix: 'password_check_user', points: 10, duration: 15 * 60 },
	/** One use per TOTP time step and user (outlives the drift window), so a seen code cannot be replayed. */
	totpStepUse: { keyPrefix: 'totp_step', points: 1, duration: 150 }
} as const;

export type AuthLimit = keyof typeof LIMITS;

interface PgLikeClient {
	query(q: { text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number }>;
}

function pgLikeClient(kysely: Kysely<unknown>): PgLikeClient {
	return {
		async query({ text, values }) {
			const result = await kysely.executeQuery(CompiledQuery.raw(text, values ?? []));
			return { rows: result.rows as unknown[], rowCount: Number(result.numAffectedRows ?? result.rows.length) };
		}
	};
}

const limitersByPool = new WeakMap<object, Record<AuthLimit, RateLimiterPostgres>>();

function limiters(em: EntityManager): Record<AuthLimit, RateLimiterPostgres> {
	const kysely = em.getConnection().getClient() as Kysely<unknown>;
	let found = limitersByPool.get(kysely);
	if (!found) {
		const storeClient = pgLikeClient(kysely);
		const make = (limit: AuthLimit) =>
			new RateLimiterPostgres({ storeClient, storeType: 'client', tableName: 'rate_limit', tableCreated: true, ...LIMITS[limit] });
		found = {
			codeVerifyPerIp: make('codeVerifyPerIp'),
			totpVerifyPerUser: make('totpVerifyPerUser'),
			passwordCheckPerUser: make('passwordCheckPerUser'),
			totpStepUse: make('totpStepUse')
		};
		limitersByPool.set(kysely, found);
	}
	return found;
}

/** Counts one attempt; TOO_MANY_REQUESTS (with a retry-after) once the limit is used up. */
export async function consumeAuthLimit(em: EntityManager, limit: AuthLimit, key: string | null): Promise<void> {
	if (!key) return;
	try {
		await limiters(em)[limit].consume(key);
	} catch (error) {
		if (error instanceof RateLimiterRes) {
			const seconds = Math.ceil(error.msBeforeNext / 1000);
			throw new AppError('TOO_MANY_REQUESTS', `Too many attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`, undefined, seconds);
		}
		throw error;
	}
}

/** Forgets the count for a key (after a success, so a user's own typos do not pile up). */
export async function resetAuthLimit(em: EntityManager, limit: AuthLimit, key: string): Promise<void> {
	await limiters(em)[limit].delete(key);
}

/** True the first time a key is claimed within the limit's window, false after (see totpStepUse). */
export async function claimOnce(em: EntityManager, limit: AuthLimit, key: string): Promise<boolean> {
	try {
		await limiters(em)[limit].consume(key);
		return true;
	} catch (error) {
		if (error instanceof RateLimiterRes) return false;
		throw error;
	}
}
