import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The test-card gateway's signing key: CIRRUS_TEST_CARD_SECRET, or else
 * $CIRRUS_DATA_DIR/test-card.key, created once with 0600 permissions. It signs the gateway's
 * charge references and its webhook bodies; it is not a real gateway credential.
 */
function loadSecret(env: NodeJS.ProcessEnv): Buffer {
	if (env.CIRRUS_TEST_CARD_SECRET) return Buffer.from(env.CIRRUS_TEST_CARD_SECRET, 'utf8');
	const file = join(resolve(env.CIRRUS_DATA_DIR ?? '.data'), 'test-card.key');
	mkdirSync(dirname(file), { recursive: true });
	try {
		// 'wx' fails if another process created it first; then that process's key is the key.
		writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

let cached: Buffer | undefined;
const secret = () => (cached ??= loadSecret(process.env));

/** Hex HMAC-SHA256 of a body, as sent in the X-Test-Card-Signature header. */
export function signTestCardBody(body: string): string {
	return createHmac('sha256', secret()).update(body).digest('hex');
}

export function verifyTestCardSignature(body: string, signature: string | null): boolean {
	if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
	return timingSafeEqual(Buffer.from(signTestCardBody(body), 'hex'), Buffer.from(signature, 'hex'));
}
