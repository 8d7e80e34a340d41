import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Lucia-style session: the id is the SHA-256 of the random token held in the cookie. */
export const SessionSchema = defineEntity({
	name: 'Session',
	tableName: 'session',
	properties: {
		id: p.string().length(64).primary(),
		userId: p.uuid(),
		/** Staff user acting as this client user ("sign in as"); marked on every activity row. */
		impersonatorUserId: p.uuid().nullable(),
		expiresAt: p.datetime(),
		createdAt: p.datetime().onCreate(() => new Date()),
		lastSeenAt: p.datetime().onCreate(() => new Date()),
		ip: p.string().length(64).nullable(),
		userAgent: p.text().nullable()
	}
});

export type Session = InferEntity<typeof SessionSchema>;
