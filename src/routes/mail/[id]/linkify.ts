export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string };

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/**
 * Splits plain text into text and http(s) links, so a mailed link can be followed from the page
 * while everything else stays text (Svelte escapes both; nothing is parsed as HTML).
 */
export function linkify(text: string): TextSegment[] {
	const segments: TextSegment[] = [];
	let last = 0;
	for (const match of text.matchAll(URL_PATTERN)) {
		const url = match[0].replace(/[.,;:!?)]+$/, '');
		const start = match.index;
		if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
		segments.push({ kind: 'link', text: url });
		last = start + url.length;
	}
	if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
	return segments;
}
