import type { EntityManager } from '@mikro-orm/postgresql';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI } from '@oslojs/otp';
import QRCode from 'qrcode';
import { TotpRecoveryCodeSchema, UserTotpSchema } from './totp.entity';
import { decryptSecret, encryptSecret } from './totp.crypto';
import {
	RECOVERY_CODE_COUNT,
	TOTP_DIGITS,
	TOTP_PERIOD_SECONDS,
	hashRecoveryCode,
	matchingTotpStep,
	newRecoveryCode,
	newTotpKey,
	normalizeRecoveryCode
} from './totp.codes';
import { verifyPassword } from './password';
import type { Actor } from './actor';
import { UserSchema, type User } from '../modules/access/user.entity';
import { claimOnce, consumeAuthLimit } from '../modules/access/authentication.rate-limit';
import { authChangedEvent } from '../modules/access/authentication.events';
import { mutate, type OutboxEvent } from '../db/mutation';
import { AppError, fieldError, notFound } from '../errors';

const ISSUER = 'Cirrus Console';

export const TOTP_MESSAGES = {
	wrong: 'That code is not right. Enter the 6-digit code your app shows now.',
	replayed: 'That code was already used. Wait for the next one.',
	wrongSecondFactor: 'That code is not right. Enter the 6-digit code from your app, or one of your recovery codes.',
	impersonating: 'Signed in as someone else, you cannot change their sign-in security.'
} as const;

export interface TotpStatus {
	enabled: boolean;
	enabledAt: string | null;
	recoveryCodesLeft: number;
}

export async function totpStatus(em: EntityManager, userId: string): Promise<TotpStatus> {
	const row = await em.findOne(UserTotpSchema, { userId }, { refresh: true });
	const enabled = !!row?.confirmedAt;
	return {
		enabled,
		enabledAt: row?.confirmedAt?.toISOString() ?? null,
		recoveryCodesLeft: enabled ? await em.count(TotpRecoveryCodeSchema, { userId, usedAt: null }) : 0
	};
}

/** The signed-in user themself; a staff member signed in as them may look but not change. */
async function selfUser(em: EntityManager, actor: Actor): Promise<User> {
	if (!actor.userId || actor.kind === 'system') throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
	if (actor.impersonator) throw new AppError('BAD_REQUEST', TOTP_MESSAGES.impersonating);
	return em.findOneOrFail(UserSchema, { id: actor.userId }, { refresh: true });
}

const userRooms = (user: User): OutboxEvent[] => [authChangedEvent(user.clientId ?? null, 'totp', [user.id])];

export interface TotpEnrolment {
	/** Base32, for typing into an app by hand. Shown only during enrolment. */
	secret: string;
	uri: string;
	/** An SVG QR code of `uri` as a data URL. */
	qrCode: string;
}

/**
 * Starts (or restarts) enrolment with a fresh secret. Nothing changes at sign-in until the user
 * confirms with a first code from the app, so an abandoned enrolment locks nobody out.
 */
export async function startTotpEnrolment(em: EntityManager, actor: Actor): Promise<TotpEnrolment> {
	const user = await selfUser(em, actor);
	const existing = await em.findOne(UserTotpSchema, { userId: user.id }, { refresh: true });
	if (existing?.confirmedAt) throw new AppError('CONFLICT', 'Two-factor authentication is already on. Turn it off first to set up a new app.');
	const key = newTotpKey();
	await em.transactional(async (tx) => {
		await tx.nativeDelete(UserTotpSchema, { userId: user.id, confirmedAt: null });
		tx.create(UserTotpSchema, { userId: user.id, secretEncrypted: encryptSecret(key), confirmedAt: null, createdAt: new Date() });
	});
	const uri = createTOTPKeyURI(ISSUER, user.email, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
	const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
	return { secret: encodeBase32UpperCaseNoPadding(key), uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/**
 * Checks a 6-digit code against the user's secret: rate-limited per user and IP, and each time
 * step is accepted once, so a code seen over someone's shoulder cannot be used again.
 */
async function checkTotp(em: EntityManager, userId: string, secretEncrypted: string, code: string, ip: string | null): Promise<boolean | 'replayed'> {
	await consumeAuthLimit(em, 'codeVerifyPerIp', ip);
	await consumeAuthLimit(em, 'totpVerifyPerUser', userId);
	const step = matchingTotpStep(decryptSecret(secretEncrypted), code.replace(/\s+/g, ''));
	if (step === null) return false;
	return (await claimOnce(em, 'totpStepUse', `${userId}:${step}`)) ? true : 'replayed';
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once only. */
export async function confirmTotpEnrolment(em: EntityManager, actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
	const user = await selfUser(em, actor);
	const pending = await em.findOne(UserTotpSchema, { userId: user.id }, { refresh: true });
	if (!pending || pending.confirmedAt) throw new AppError('CONFLICT', 'Start the set-up again: there is no app waiting to be confirmed.');
	const checked = await checkTotp(em, user.id, pending.secretEncrypted, code, actor.ip);
	if (checked !== true) throw fieldError('code', checked === 'replayed' ? TOTP_MESSAGES.replayed : TOTP_MESSAGES.wrong);
	const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	return mutate(em, actor, async (tx) => {
		const now = new Date();
		const confirmed = await tx.nativeUpdate(UserTotpSchema, { userId: user.id, confirmedAt: null, secretEncrypted: pending.secretEncrypted }, { confirmedAt: now });
		if (!confirmed) throw new AppError('CONFLICT', 'The set-up changed meanwhile. Start again.');
		await tx.nativeDelete(TotpRecoveryCodeSchema, { userId: user.id });
		for (const recovery of recoveryCodes) {
			tx.create(TotpRecoveryCodeSchema, { userId: user.id, codeHash: hashRecoveryCode(normalizeRecoveryCode(recovery)!), usedAt: null, createdAt: now });
		}
		return {
			result: { recoveryCodes },
			activity: {
				clientId: user.clientId ?? null,
				action: 'auth.totp_enabled',
				targetType: 'user',
				targetId: user.id,
				summary: `${user.name} turned on two-factor authentication`
			},
			events: userRooms(user)
		};
	});
}

async function removeTotp(tx: EntityManager, userId: string): Promise<boolean> {
	const removed = await tx.nativeDelete(UserTotpSchema, { userId });
	await tx.nativeDelete(TotpRecoveryCodeSchema, { userId });
	return removed > 0;
}

/** The user turns two-factor off for themself, proving it is them with their password. */
export async function disableOwnTotp(em: EntityManager, actor: Actor, password: string): Promise<void> {
	const user = await selfUser(em, actor);
	await consumeAuthLimit(em, 'passwordCheckPerUser', user.id);
	if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) throw fieldError('password', 'That password is not right.');
	await mutate(em, actor, async (tx) => {
		if (!(await removeTotp(tx, user.id))) throw new AppError('CONFLICT', 'Two-factor authentication is not on.');
		return {
			result: undefined,
			activity: {
				clientId: user.clientId ?? null,
				action: 'auth.totp_disabled',
				targetType: 'user',
				targetId: user.id,
				summary: `${user.name} turned off two-factor authentication`
			},
			events: userRooms(user)
		};
	});
}

/** Staff remove a client user's two-factor (a lost phone), with a reason; the user enrols again. */
export async function resetTotpByStaff(em: EntityManager, actor: Actor, input: { clientId: string; userId: string; reason: string }): Promise<void> {
	if (actor.kind !== 'staff') throw notFound('That user');
	const user = await em.findOne(UserSchema, { id: input.userId, clientId: input.clientId, kind: 'client' });
	if (!user) throw notFound('That user');
	await mutate(em, actor, async (tx) => {
		if (!(await removeTotp(tx, user.id))) throw new AppError('CONFLICT', `${user.name} does not use two-factor authentication.`);
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'auth.totp_reset',
				targetType: 'user',
				targetId: user.id,
				summary: `${actor.name} reset two-factor authentication of ${user.name}`,
				after: { reason: input.reason },
				staffOnly: true
			},
			events: userRooms(user)
		};
	});
}

/**
 * The second sign-in step: a current TOTP code, or an unused recovery code (used up here).
 * Throws a field error on `code` when neither matches.
 */
export async function verifySecondFactor(em: EntityManager, userId: string, code: string, ip: string | null): Promise<'totp' | 'recovery'> {
	const row = await em.findOne(UserTotpSchema, { userId, confirmedAt: { $ne: null } }, { refresh: true });
	if (!row) throw new AppError('BAD_REQUEST', 'Two-factor authentication is not set up for this account.');
	const trimmed = code.replace(/\s+/g, '');
	if (/^\d{6}$/.test(trimmed)) {
		const checked = await checkTotp(em, userId, row.secretEncrypted, trimmed, ip);
		if (checked === true) return 'totp';
		throw fieldError('code', checked === 'replayed' ? TOTP_MESSAGES.replayed : TOTP_MESSAGES.wrongSecondFactor);
	}
	await consumeAuthLimit(em, 'codeVerifyPerIp', ip);
	await consumeAuthLimit(em, 'totpVerifyPerUser', userId);
	const normalized = normalizeRecoveryCode(trimmed);
	// The conditional update both finds the code and uses it up, so it works once even under a race.
	const used = normalized
		? await em.nativeUpdate(TotpRecoveryCodeSchema, { userId, codeHash: hashRecoveryCode(normalized), usedAt: null }, { usedAt: new Date() })
		: 0;
	if (!used) throw fieldError('code', TOTP_MESSAGES.wrongSecondFactor);
	return 'recovery';
}
