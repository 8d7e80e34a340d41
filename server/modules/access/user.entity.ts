import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const USER_KINDS = ['staff', 'client'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const UserSchema = defineEntity({
	name: 'User',
	tableName: 'app_user',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		kind: p.enum(USER_KINDS),
		/** The client a client user belongs to; null for staff. */
		clientId: p.uuid().nullable(),
		roleId: p.uuid(),
		email: p.string().length(320),
		name: p.string().length(200),
		/** argon2id hash; null until the user sets a password through an invite or reset link. */
		passwordHash: p.text().nullable(),
		active: p.boolean().default(true),
		blockedAt: p.datetime().nullable(),
		blockedReason: p.text().nullable(),
		lockedUntil: p.datetime().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type User = InferEntity<typeof UserSchema>;
