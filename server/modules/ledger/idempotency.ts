import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { AppError } from '../../errors';
import { mutate, type MutationOutcome } from '../../db/mutation';
import type { Actor } from '../../auth/actor';

/** How long a key's stored outcome is replayed; older rows are removed (see claimKey and the cleanup). */
export const IDEMPOTENCY_TTL_HOURS = 24;

export interface IdempotentRequest {
	clientId: string;
	/** What kind of request the key belongs to ('credit_purchase', 'offline_payment', ...). */
	scope: string;
	key: string;
	/** The request's parameters, as strings; their hash must match on a replay. */
	params: Record<string, string>;
}

export type StoredResponse = Record<string, string | null>;

export function requestHash(params: Record<string, string>): string {
	const canonical = JSON.stringify(Object.keys(params).sort().map((name) => [name, params[name]]));
	return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Runs a money-moving change at most once per (client, scope, key).
 *
 * Inside one transaction: the client's expired keys are dropped, the key is inserted with
 * `on conflict do nothing`, then read back `for update`. A concurrent request with the same key
 * blocks on that row (or on the unique index) until the first commits, then finds the stored
 * response and returns it without an activity row or event: 50 identical requests make one
 * change. If the first one failed, its row rolled back with it and the next request runs.
 * The same key with different parameters is refused with CONFLICT.
 */
export async function idempotent(
	em: EntityManager,
	actor: Actor,
	request: IdempotentRequest,
	change: (tx: EntityManager) => Promise<MutationOutcome<StoredResponse>>
): Promise<{ response: StoredResponse; replayed: boolean }> {
	const hash = requestHash(request.params);
	return mutate<{ response: StoredResponse; replayed: boolean }>(em, actor, async (tx) => {
		const keyColumns = [request.clientId, request.scope, request.key];
		// The cleanup: this client's keys past their window go (including this key's, which then
		// counts as new). Per client through the primary key's prefix, so it stays cheap and the
		// table holds about one day of requests.
		await tx.execute(`delete from idempotency_key where client_id = ? and created_at < now() - make_interval(hours => ?)`, [
			request.clientId,
			IDEMPOTENCY_TTL_HOURS
		]);
		await tx.execute(
			`insert into idempotency_key (client_id, scope, key, request_hash, response, created_at) values (?, ?, ?, ?, null, now()) on conflict do nothing`,
			[...keyColumns, hash]
		);
		const [row] = await tx.execute<{ request_hash: string; response: StoredResponse | null }[]>(
			`select request_hash, response from idempotency_key where client_id = ? and scope = ? and key = ? for update`,
			keyColumns
		);
		if (row.request_hash !== hash) {
			throw new AppError('CONFLICT', 'This request was already made with different details. Reload the form and try again.');
		}
		if (row.response) return { result: { response: row.response, replayed: true }, activity: [] };
		const outcome = await change(tx);
		await tx.execute(`update idempotency_key set response = ?::jsonb where client_id = ? and scope = ? and key = ?`, [
			JSON.stringify(outcome.result),
			...keyColumns
		]);
		return { ...outcome, result: { response: outcome.result, replayed: false } };
	});
}

/** Removes every client's keys past their replay window (maintenance, benches). Returns how many. */
export async function deleteExpiredIdempotencyKeys(em: EntityManager): Promise<number> {
	const rows = await em.execute<{ n: string }[]>(
		`with gone as (delete from idempotency_key where created_at < now() - make_interval(hours => ?) returning 1) select count(*)::text as n from gone`,
		[IDEMPOTENCY_TTL_HOURS]
	);
	return Number.parseInt(rows[0].n, 10);
}
