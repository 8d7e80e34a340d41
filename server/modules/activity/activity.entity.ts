import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Append-only audit row; a database trigger rejects UPDATE and DELETE on its table. */
export const ActivitySchema = defineEntity({
	name: 'Activity',
	tableName: 'activity',
	properties: {
		id: p.bigint('string').primary().autoincrement(),
		clientId: p.uuid().nullable(),
		actorUserId: p.uuid().nullable(),
		actorName: p.string().length(200),
		actorKind: p.string().length(16),
		impersonatorUserId: p.uuid().nullable(),
		impersonatorName: p.string().length(200).nullable(),
		action: p.string().length(80),
		targetType: p.string().length(60),
		targetId: p.string().length(80).nullable(),
		summary: p.text(),
		before: p.json<Record<string, unknown>>().nullable(),
		after: p.json<Record<string, unknown>>().nullable(),
		staffOnly: p.boolean().default(false),
		ip: p.string().length(64).nullable(),
		userAgent: p.text().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type Activity = InferEntity<typeof ActivitySchema>;
