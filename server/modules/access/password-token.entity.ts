import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const PASSWORD_TOKEN_PURPOSES = ['welcome', 'reset'] as const;
export type PasswordTokenPurpose = (typeof PASSWORD_TOKEN_PURPOSES)[number];

/** A single-use link to set a password. Only the SHA-256 of the token is stored: a database leak leaks no usable link. */
export const PasswordTokenSchema = defineEntity({
	name: 'PasswordToken',
	tableName: 'password_token',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		userId: p.uuid(),
		purpose: p.enum(PASSWORD_TOKEN_PURPOSES),
		tokenHash: p.string().length(64),
		expiresAt: p.datetime(),
		usedAt: p.datetime().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type PasswordToken = InferEntity<typeof PasswordTokenSchema>;
