import { escapeHtml } from './html-escape';

export interface RenderedMail {
	subject: string;
	text: string;
	html: string;
}

/** A paragraph of plain text, escaped, for the HTML part. */
export function paragraph(text: string): string {
	return `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
}

/** A call-to-action link; the URL is escaped like any other attribute value. */
export function button(label: string, url: string): string {
	return `<p style="margin:0 0 16px"><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 18px;background:#2563eb;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>`;
}

/** Wraps already-escaped HTML blocks in a minimal document that mail clients render consistently. */
export function htmlDocument(title: string, blocks: string[]): string {
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;line-height:1.5;color:#111827;max-width:560px;margin:0 auto;padding:24px">
${blocks.join('\n')}
<p style="margin:24px 0 0;font-size:13px;color:#6b7280">Cirrus Console</p>
</body></html>`;
}
