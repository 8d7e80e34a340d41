import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SESSION_END_REASONS = ['blocked', 'revoked', 'password_changed', 'two_factor_reset'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * Why a session was ended by someone else, keyed by the session id (the hash of the cookie token).
 * The sign-in page of the browser that held it reads this to say "This account is blocked".
 */
export const SessionEndSchema = defineEntity({
	name: 'SessionEnd',
	tableName: 'session_end',
	properties: {
		sessionId: p.string().length(64).primary(),
		userId: p.uuid(),
		reason: p.enum(SESSION_END_REASONS),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});
export type SessionEnd = InferEntity<typeof SessionEndSchema>;
