import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptSecret, encryptSecret, forgetSecretKey } from './totp.crypto';

const saved = { key: process.env.CIRRUS_SECRET_KEY, dir: process.env.CIRRUS_DATA_DIR };

afterEach(() => {
	for (const [name, value] of [['CIRRUS_SECRET_KEY', saved.key], ['CIRRUS_DATA_DIR', saved.dir]] as const) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	forgetSecretKey();
});

const secret = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);

describe('secrets at rest', () => {
	it('without CIRRUS_SECRET_KEY creates one key file with 0600 permissions and keeps using it', () => {
		delete process.env.CIRRUS_SECRET_KEY;
		process.env.CIRRUS_DATA_DIR = mkdtempSync(join(tmpdir(), 'cirrus-key-'));
		forgetSecretKey();
		const stored = encryptSecret(secret);
		const file = join(process.env.CIRRUS_DATA_DIR, 'secret.key');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const key = readFileSync(file, 'utf8');
		forgetSecretKey();
		expect(decryptSecret(stored)).toEqual(secret);
		expect(readFileSync(file, 'utf8')).toBe(key);
	});

	it('uses CIRRUS_SECRET_KEY, a random IV per value, and refuses tampered or foreign ciphertext', () => {
		process.env.CIRRUS_SECRET_KEY = 'a'.repeat(64);
		forgetSecretKey();
		const one = encryptSecret(secret);
		const two = encryptSecret(secret);
		expect(one).not.toBe(two);
		expect(one.startsWith('v1.')).toBe(true);
		expect(decryptSecret(two)).toEqual(secret);

		const [version, iv, body, tag] = one.split('.');
		const flipped = Buffer.from(body, 'base64url');
		flipped[0] ^= 1;
		expect(() => decryptSecret([version, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();

		process.env.CIRRUS_SECRET_KEY = 'b'.repeat(64);
		forgetSecretKey();
		expect(() => decryptSecret(one)).toThrow();
	});

	it('refuses a key of the wrong size with a hint', () => {
		process.env.CIRRUS_SECRET_KEY = 'too-short';
		forgetSecretKey();
		expect(() => encryptSecret(secret)).toThrow(/32-byte key/);
	});
});
