import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A user's TOTP secret, AES-256-GCM encrypted (server/auth/totp.crypto.ts). Unconfirmed until the
 * user proves their authenticator app works by entering a first code; only then does sign-in ask for it.
 */
export const UserTotpSchema = defineEntity({
	name: 'UserTotp',
	tableName: 'user_totp',
	properties: {
		userId: p.uuid().primary(),
		secretEncrypted: p.text(),
		confirmedAt: p.datetime().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});
export type UserTotp = InferEntity<typeof UserTotpSchema>;

/** Single-use fallback codes, shown once at enrolment; only their SHA-256 is kept. */
export const TotpRecoveryCodeSchema = defineEntity({
	name: 'TotpRecoveryCode',
	tableName: 'totp_recovery_code',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		userId: p.uuid(),
		codeHash: p.string().length(64),
		usedAt: p.datetime().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});
export type TotpRecoveryCode = InferEntity<typeof TotpRecoveryCodeSchema>;

/**
 * The second sign-in step: the password was right, the TOTP is still owed. The id is the SHA-256
 * of the random challenge token the browser holds for at most five minutes.
 */
export const SignInChallengeSchema = defineEntity({
	name: 'SignInChallenge',
	tableName: 'sign_in_challenge',
	properties: {
		id: p.string().length(64).primary(),
		userId: p.uuid(),
		attempts: p.integer().default(0),
		ip: p.string().length(64).nullable(),
		userAgent: p.text().nullable(),
		createdAt: p.datetime().onCreate(() => new Date()),
		expiresAt: p.datetime(),
		usedAt: p.datetime().nullable()
	}
});
export type SignInChallenge = InferEntity<typeof SignInChallengeSchema>;
