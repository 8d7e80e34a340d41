import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
	it('turns http(s) URLs into links and keeps the rest as text, including markup', () => {
		expect(linkify('Open https://console.test/set-password?token=abc2, then <b>sign in</b>.')).toEqual([
			{ kind: 'text', text: 'Open ' },
			{ kind: 'link', text: 'https://console.test/set-password?token=abc2' },
			{ kind: 'text', text: ', then <b>sign in</b>.' }
		]);
	});

	it('leaves other schemes as text', () => {
		expect(linkify('javascript:alert(1) and ftp://x')).toEqual([{ kind: 'text', text: 'javascript:alert(1) and ftp://x' }]);
	});
});
