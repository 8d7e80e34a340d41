import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Every sign-in attempt, kept for the failed-login history and lock-out decisions. */
export const LoginAttemptSchema = defineEntity({
	name: 'LoginAttempt',
	tableName: 'login_attempt',
	properties: {
		id: p.bigint('string').primary().autoincrement(),
		email: p.string().length(320),
		userId: p.uuid().nullable(),
		succeeded: p.boolean(),
		reason: p.string().length(40),
		ip: p.string().length(64).nullable(),
		userAgent: p.text().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type LoginAttempt = InferEntity<typeof LoginAttemptSchema>;
