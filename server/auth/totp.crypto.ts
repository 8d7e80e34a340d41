import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Stored values start with a version, so the format (or the key) can change later. */
const VERSION = 'v1';

function parseKey(value: string, source: string): Buffer {
	const trimmed = value.trim();
	const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
	if (key.length !== KEY_BYTES) {
		throw new Error(`${source} must hold a 32-byte key as 64 hex characters or base64 (for example: openssl rand -hex 32).`);
	}
	return key;
}

/**
 * The key from CIRRUS_SECRET_KEY, or else from $CIRRUS_DATA_DIR/secret.key, created once with
 * 0600 permissions beside the embedded database (so a fresh install encrypts without any setup).
 */
function loadKey(env: NodeJS.ProcessEnv): Buffer {
	if (env.CIRRUS_SECRET_KEY) return parseKey(env.CIRRUS_SECRET_KEY, 'CIRRUS_SECRET_KEY');
	const file = join(resolve(env.CIRRUS_DATA_DIR ?? '.data'), 'secret.key');
	try {
		return parseKey(readFileSync(file, 'utf8'), file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	mkdirSync(dirname(file), { recursive: true });
	try {
		// 'wx' fails if another process created it first; then that process's key is the key.
		writeFileSync(file, randomBytes(KEY_BYTES).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	return parseKey(readFileSync(file, 'utf8'), file);
}

let cachedKey: Buffer | undefined;
const key = () => (cachedKey ??= loadKey(process.env));

/** AES-256-GCM with a random IV per value: "v1.<iv>.<ciphertext>.<tag>" in base64url. */
export function encryptSecret(plain: Uint8Array): string {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key(), iv);
	const body = Buffer.concat([cipher.update(plain), cipher.final()]);
	return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Throws when the value was tampered with or encrypted under another key. */
export function decryptSecret(stored: string): Uint8Array {
	const [version, iv, body, tag] = stored.split('.');
	if (version !== VERSION || !iv || !body || !tag) throw new Error('Unknown encrypted secret format.');
	const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
	decipher.setAuthTag(Buffer.from(tag, 'base64url'));
	return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]));
}

/** For tests: forget the loaded key so the next call reads the environment again. */
export function forgetSecretKey(): void {
	cachedKey = undefined;
}
