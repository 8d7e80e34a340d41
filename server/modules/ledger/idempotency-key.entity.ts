import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The stored outcome of one money-moving request, replayed for a retry with the same key. */
export const IdempotencyKeySchema = defineEntity({
	name: 'IdempotencyKey',
	tableName: 'idempotency_key',
	properties: {
		clientId: p.uuid().primary(),
		scope: p.string().length(60).primary(),
		key: p.string().length(200).primary(),
		/** sha256 of the request's parameters: the same key with other parameters is refused. */
		requestHash: p.string().length(64),
		response: p.json<Record<string, unknown>>().nullable(),
		createdAt: p.datetime()
	}
});

export type IdempotencyKey = InferEntity<typeof IdempotencyKeySchema>;
