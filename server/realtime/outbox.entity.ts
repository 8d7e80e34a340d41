import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** An event committed with its change; the relay pushes it to Socket.IO rooms after commit. */
export const OutboxSchema = defineEntity({
	name: 'Outbox',
	tableName: 'outbox',
	properties: {
		id: p.bigint('string').primary().autoincrement(),
		rooms: p.array(),
		event: p.string().length(80),
		payload: p.json<Record<string, unknown>>(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type Outbox = InferEntity<typeof OutboxSchema>;
