import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { PasswordTokenSchema, type PasswordToken, type PasswordTokenPurpose } from './password-token.entity';
import { UserSchema, type User } from './user.entity';
import { SessionSchema } from './session.entity';
import { hashPassword } from '../../auth/password';
import { passwordStrength } from '../../auth/password-change.strength';
import { actorForUser } from '../../auth/actor-for-user';
import { mutate } from '../../db/mutation';
import { AppError, fieldError } from '../../errors';

const HOUR = 60 * 60 * 1000;
export const PASSWORD_TOKEN_LIFETIME_MS: Record<PasswordTokenPurpose, number> = { welcome: 7 * 24 * HOUR, reset: HOUR };

/** 32 random bytes as lower-case base32: 52 characters that survive any mail client and URL. */
const TOKEN_PATTERN = /^[a-z2-7]{52}$/;

export type PasswordTokenProblem = 'invalid' | 'expired' | 'used';

export const PASSWORD_TOKEN_MESSAGES: Record<PasswordTokenProblem, string> = {
	invalid: 'This link is not valid.',
	expired: 'This link has expired.',
	used: 'This link was already used.'
};

export function hashPasswordToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * Creates a single-use link token for the user in the caller's transaction (flushed with it) and
 * returns the raw token: it exists only in the mail that carries it, never in the table or the log.
 */
export function issuePasswordToken(tx: EntityManager, userId: string, purpose: PasswordTokenPurpose): { token: string; expiresAt: Date } {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	const token = encodeBase32LowerCaseNoPadding(bytes);
	const now = new Date();
	const expiresAt = new Date(now.getTime() + PASSWORD_TOKEN_LIFETIME_MS[purpose]);
	tx.create(PasswordTokenSchema, { userId, purpose, tokenHash: hashPasswordToken(token), expiresAt, usedAt: null, createdAt: now });
	return { token, expiresAt };
}

type Lookup =
	| { problem: null; token: PasswordToken; user: User }
	| { problem: PasswordTokenProblem; token: PasswordToken | null; user: User | null };

async function lookUp(em: EntityManager, token: string): Promise<Lookup> {
	const normalized = token.trim().toLowerCase();
	if (!TOKEN_PATTERN.test(normalized)) return { problem: 'invalid', token: null, user: null };
	const row = await em.findOne(PasswordTokenSchema, { tokenHash: hashPasswordToken(normalized) });
	const user = row ? await em.findOne(UserSchema, { id: row.userId }) : null;
	if (!row || !user) return { problem: 'invalid', token: null, user: null };
	if (row.usedAt) return { problem: 'used', token: row, user };
	if (row.expiresAt.getTime() <= Date.now()) return { problem: 'expired', token: row, user };
	return { problem: null, token: row, user };
}

/** "ow***@acme.example": enough for the owner to recognise the account, not enough to harvest it. */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at < 1) return '***';
	const local = email.slice(0, at);
	return `${local.slice(0, local.length > 2 ? 2 : 1)}***${email.slice(at)}`;
}

export interface PasswordTokenStatus {
	valid: boolean;
	reason?: PasswordTokenProblem;
	/** Masked; null when the link matches no account. */
	email: string | null;
	purpose: PasswordTokenPurpose | null;
}

export async function passwordTokenStatus(em: EntityManager, token: string): Promise<PasswordTokenStatus> {
	const found = await lookUp(em, token);
	return {
		valid: !found.problem,
		...(found.problem ? { reason: found.problem } : {}),
		email: found.user ? maskEmail(found.user.email) : null,
		purpose: found.token?.purpose ?? null
	};
}

const MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
// The most common passwords of 12+ characters in public breach lists, plus our own demo password.
const COMMON_PASSWORDS = new Set([
	'123456789012',
	'1234567890123',
	'12345678901234',
	'qwertyuiop12',
	'qwertyuiop123',
	'qwertyuiopasdfgh',
	'1q2w3e4r5t6y',
	'1qaz2wsx3edc',
	'password1234',
	'password12345',
	'password123456',
	'passwordpassword',
	'iloveyou1234',
	'letmein12345',
	'welcome12345',
	'welcome123456',
	'changeme1234',
	'administrator',
	'adminadmin123',
	'abcdefghijkl',
	'abc123abc123',
	'trustno1trustno1',
	'football1234',
	'baseball1234',
	'superman1234',
	'sunshine1234',
	'princess1234',
	'cirrusconsole',
	'cirrus-console',
	'demo-password-1'
]);

/** Why a new password is too weak, or null. The email's local part is what a guesser tries first. */
export function passwordWeakness(password: string, email: string): string | null {
	if (password.length < MIN_LENGTH) return `Use at least ${MIN_LENGTH} characters.`;
	if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
	const lower = password.toLowerCase();
	if (COMMON_PASSWORDS.has(lower)) return 'This password is too common. Choose one that is harder to guess.';
	if (new Set(lower).size < 4) return 'This password repeats too few characters. Choose one that is harder to guess.';
	const localPart = email.slice(0, email.lastIndexOf('@')).toLowerCase();
	if (localPart.length >= 3 && lower.includes(localPart)) return 'The password must not contain the first part of your email address.';
	return null;
}

export interface ConsumePasswordTokenResult {
	userId: string;
	email: string;
	/** Sessions of the user that were signed out. */
	revokedSessions: number;
}

/**
 * Sets the password behind a link: the link must be known, unused and unexpired, and is used up
 * in the same transaction that sets the password, signs the user out everywhere and revokes the
 * user's other open links. A weak password changes nothing and leaves the link usable.
 */
export async function consumePasswordToken(
	em: EntityManager,
	token: string,
	newPassword: string,
	request: { ip?: string | null; userAgent?: string | null } = {}
): Promise<ConsumePasswordTokenResult> {
	const found = await lookUp(em, token);
	if (found.problem) throw new AppError('BAD_REQUEST', PASSWORD_TOKEN_MESSAGES[found.problem]);
	const { token: row, user } = found;
	// The same rules as a password change (zxcvbn score included): a link must not be the weak way in.
	const weakness = passwordStrength(newPassword, user).problem;
	if (weakness) throw fieldError('password', weakness);
	const passwordHash = await hashPassword(newPassword);
	const actor = await actorForUser(em, user, request);
	return mutate(em, actor, async (tx) => {
		const now = new Date();
		// The conditional update is the single-use guarantee when two requests race with one link.
		const claimed = await tx.nativeUpdate(PasswordTokenSchema, { id: row.id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now });
		if (!claimed) throw new AppError('BAD_REQUEST', PASSWORD_TOKEN_MESSAGES.used);
		await tx.nativeUpdate(PasswordTokenSchema, { userId: user.id, usedAt: null }, { usedAt: now });
		// Proving control of the mailbox lifts a lock-out from failed sign-ins.
		await tx.nativeUpdate(UserSchema, { id: user.id }, { passwordHash, lockedUntil: null });
		const revokedSessions = await tx.nativeDelete(SessionSchema, { userId: user.id });
		const how = row.purpose === 'welcome' ? 'from the welcome email' : 'from a password reset link';
		return {
			result: { userId: user.id, email: user.email, revokedSessions },
			activity: {
				clientId: user.clientId ?? null,
				action: 'user.password_set',
				targetType: 'user',
				targetId: user.id,
				summary: `${user.name} set a new password ${how}${revokedSessions ? ` (signed out of ${revokedSessions} session${revokedSessions === 1 ? '' : 's'})` : ''}`,
				after: { purpose: row.purpose }
			}
		};
	});
}
