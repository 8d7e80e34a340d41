import { describe, expect, it } from 'vitest';
import { renderWelcomeMail } from './welcome.template';
import { escapeHtml } from './html-escape';

describe('welcome mail', () => {
	const setPasswordUrl = 'https://console.example/set-password?token=abc&x="y"';
	const mail = renderWelcomeMail({ name: '<script>alert(1)</script> & "Co"', setPasswordUrl, expiresAt: new Date('2026-12-02T14:00:00Z') });

	it('escapes every piece of user text in the HTML part', () => {
		expect(mail.html).not.toContain('<script>');
		expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
		expect(mail.html).toContain(`href="${escapeHtml(setPasswordUrl)}"`);
	});

	it('keeps the text part plain, with the link on a line of its own and the expiry', () => {
		expect(mail.text).toContain('Hello <script>alert(1)</script> & "Co",');
		expect(mail.text.split('\n')).toContain(setPasswordUrl);
		expect(mail.text).toContain('2026-12-02 14:00 UTC');
	});

	it('puts nothing from the link in the subject (the subject is logged)', () => {
		expect(mail.subject).not.toContain('token');
	});
});

describe('escapeHtml', () => {
	it('escapes the five characters that can break out of text or a quoted attribute', () => {
		expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;');
	});
});
