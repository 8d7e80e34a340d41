import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';

/** RFC 6238 defaults every authenticator app understands: 30-second steps, 6 digits, HMAC-SHA1. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step either side tolerates a phone clock that is up to 30 seconds off. */
const DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

export function newTotpKey(): Uint8Array {
	const key = new Uint8Array(20);
	crypto.getRandomValues(key);
	return key;
}

/**
 * The time step a code matches (checked in constant time against every step in the window),
 * or null. The caller refuses a step that was already used, so a code cannot be replayed.
 */
export function matchingTotpStep(key: Uint8Array, code: string, now = Date.now()): bigint | null {
	if (!/^\d{6}$/.test(code)) return null;
	const current = BigInt(Math.floor(now / 1000 / TOTP_PERIOD_SECONDS));
	let matched: bigint | null = null;
	for (let offset = -DRIFT_STEPS; offset <= DRIFT_STEPS; offset++) {
		const step = current + BigInt(offset);
		const expected = generateHOTP(key, step, TOTP_DIGITS);
		if (timingSafeEqual(Buffer.from(expected), Buffer.from(code)) && matched === null) matched = step;
	}
	return matched;
}

/** "abcde-fghij": 50 random bits in letters and digits that are hard to misread. */
export function newRecoveryCode(): string {
	const bytes = new Uint8Array(7);
	crypto.getRandomValues(bytes);
	const text = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
	return `${text.slice(0, 5)}-${text.slice(5)}`;
}

/** Case, spaces and the dash do not matter when a recovery code is typed back. */
export function normalizeRecoveryCode(input: string): string | null {
	const normalized = input.toLowerCase().replace(/[\s-]/g, '');
	return /^[a-z2-7]{10}$/.test(normalized) ? normalized : null;
}

export function hashRecoveryCode(normalized: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(`recovery:${normalized}`)));
}
