import type { EntityManager } from '@mikro-orm/postgresql';
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { OtpSchema, type OtpChannel, type OtpStatus } from './otp.entity';
import { consumeAuthLimit } from './authentication.rate-limit';
import { announceAuthChange } from './authentication.events';
import { AppError } from '../../errors';

export const OTP_LIFETIME_MS = 10 * 60 * 1000;
export const OTP_MAX_ATTEMPTS = 5;
const HOUR = 60 * 60 * 1000;
/** Codes sent to one address, and by one client, per hour: enough for typos, too few to spam a mailbox. */
export const OTP_ISSUE_LIMITS = { perDestination: 5, perClient: 20 } as const;

export const OTP_MESSAGES = {
	wrong: 'That code is not right.',
	expired: 'This code has expired. Ask for a new one.',
	failed: 'Too many wrong codes. Ask for a new one.',
	used: 'This code was already used. Ask for a new one.',
	unknown: 'This code is not valid. Ask for a new one.',
	tooManyIssued: 'Too many codes were sent. Wait an hour and try again.'
} as const;

export interface IssueOtpInput {
	userId: string | null;
	clientId: string | null;
	channel: OtpChannel;
	purpose: string;
	destination: string;
	ip: string | null;
}

/** Binding the hash to the row id means a code hash cannot be matched against any other row. */
export function hashOtpCode(otpId: string, code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(`${otpId}:${code}`)));
}

async function issuedSince(tx: EntityManager, column: 'destination' | 'client', value: string, since: Date): Promise<number> {
	const where = column === 'destination' ? 'lower(destination) = lower(?)' : 'client_id = ?';
	const rows = await tx.execute<{ count: string }[]>(`select count(*) as count from otp_code where ${where} and created_at > ?`, [value, since]);
	return Number(rows[0]?.count ?? 0);
}

/**
 * Creates a 6-digit code (from a CSPRNG) in the caller's transaction and returns it once, for the
 * message that carries it. Throws TOO_MANY_REQUESTS past the hourly limits per destination and per client.
 */
export async function issueOtp(tx: EntityManager, input: IssueOtpInput): Promise<{ otpId: string; code: string }> {
	const destination = input.destination.trim();
	// Serialises issuance per destination, so two parallel requests cannot both slip under the limit.
	await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`otp:${destination.toLowerCase()}`]);
	const since = new Date(Date.now() - HOUR);
	const tooMany = new AppError('TOO_MANY_REQUESTS', OTP_MESSAGES.tooManyIssued, undefined, 60 * 60);
	if ((await issuedSince(tx, 'destination', destination, since)) >= OTP_ISSUE_LIMITS.perDestination) throw tooMany;
	if (input.clientId && (await issuedSince(tx, 'client', input.clientId, since)) >= OTP_ISSUE_LIMITS.perClient) throw tooMany;

	const otpId = randomUUID();
	const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
	const now = new Date();
	tx.create(OtpSchema, {
		id: otpId,
		userId: input.userId,
		clientId: input.clientId,
		channel: input.channel,
		purpose: input.purpose,
		destination,
		codeHash: hashOtpCode(otpId, code),
		status: 'sent',
		attempts: 0,
		ip: input.ip,
		createdAt: now,
		expiresAt: new Date(now.getTime() + OTP_LIFETIME_MS),
		verifiedAt: null
	});
	await tx.flush();
	if (input.clientId) await announceAuthChange(tx, input.clientId, 'otp');
	return { otpId, code };
}

export interface VerifiedOtp {
	destination: string;
	purpose: string;
	userId: string | null;
	clientId: string | null;
}

const codeError = (message: string) => new AppError('BAD_REQUEST', message, { code: [message] });

/**
 * Checks a code (constant-time) and uses it up. The use (status 'verified') is written through
 * `em`, so inside the caller's transaction it commits or rolls back with the caller's change.
 * A wrong guess is counted on its own connection and committed at once, so a caller's rollback
 * cannot hand out free guesses; the fifth wrong guess fails the code for good.
 */
export async function verifyOtp(em: EntityManager, input: { otpId: string; code: string; ip: string | null }): Promise<VerifiedOtp> {
	await consumeAuthLimit(em, 'codeVerifyPerIp', input.ip);
	const code = input.code.replace(/\s+/g, '');
	const row = /^[0-9a-f-]{36}$/i.test(input.otpId) ? await em.findOne(OtpSchema, { id: input.otpId }, { refresh: true }) : null;
	if (!row) throw codeError(OTP_MESSAGES.unknown);
	const problem = otpProblem(row.status, row.expiresAt);
	if (problem) {
		if (problem === 'expired' && row.status === 'sent') {
			await setStatusOutside(em, row.id, 'expired');
			if (row.clientId) await announceAuthChange(em.fork(), row.clientId, 'otp');
		}
		throw codeError(OTP_MESSAGES[problem === 'verified' ? 'used' : problem]);
	}

	const expected = Buffer.from(row.codeHash, 'hex');
	const given = Buffer.from(hashOtpCode(row.id, /^\d{6}$/.test(code) ? code : ''), 'hex');
	if (!timingSafeEqual(expected, given)) {
		const attempts = await countWrongGuess(em, row.id);
		// A fork has no transaction: the tab hears of the guess even when the caller rolls back.
		if (row.clientId) await announceAuthChange(em.fork(), row.clientId, 'otp');
		throw codeError(attempts >= OTP_MAX_ATTEMPTS ? OTP_MESSAGES.failed : OTP_MESSAGES.wrong);
	}

	const now = new Date();
	// The conditional update is the single-use guarantee when two requests race with one code.
	const claimed = await em.nativeUpdate(
		OtpSchema,
		{ id: row.id, status: 'sent', expiresAt: { $gt: now }, attempts: { $lt: OTP_MAX_ATTEMPTS } },
		{ status: 'verified', verifiedAt: now }
	);
	if (!claimed) throw codeError(OTP_MESSAGES.used);
	if (row.clientId) await announceAuthChange(em, row.clientId, 'otp');
	return { destination: row.destination, purpose: row.purpose, userId: row.userId ?? null, clientId: row.clientId ?? null };
}

type OtpProblem = 'expired' | 'failed' | 'verified';

function otpProblem(status: OtpStatus, expiresAt: Date): OtpProblem | null {
	if (status === 'verified' || status === 'failed' || status === 'expired') return status;
	return expiresAt.getTime() <= Date.now() ? 'expired' : null;
}

/** Runs on the pool, outside the caller's transaction (see verifyOtp). */
async function countWrongGuess(em: EntityManager, otpId: string): Promise<number> {
	const rows = await em
		.getConnection()
		.execute<{ attempts: number }[]>(
			`update otp_code set attempts = attempts + 1, status = case when attempts + 1 >= ? then 'failed' else status end where id = ? returning attempts`,
			[OTP_MAX_ATTEMPTS, otpId]
		);
	return Number(rows[0]?.attempts ?? OTP_MAX_ATTEMPTS);
}

async function setStatusOutside(em: EntityManager, otpId: string, status: OtpStatus): Promise<void> {
	await em.getConnection().execute(`update otp_code set status = ? where id = ? and status = 'sent'`, [status, otpId]);
}

/** What a list shows: a code past its expiry that nobody tried again still reads as expired. */
export function effectiveOtpStatus(row: { status: OtpStatus; expiresAt: Date }): OtpStatus {
	return row.status === 'sent' && row.expiresAt.getTime() <= Date.now() ? 'expired' : row.status;
}
