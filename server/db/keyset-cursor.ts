import { AppError } from '../errors';

/** Opaque keyset cursor: the sort value and id of the last row of a page. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
	return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export const invalidCursor = () =>
	new AppError('BAD_REQUEST', 'That page link is no longer valid; start from the first page.', { cursor: ['Invalid cursor.'] });

export function decodeCursor(cursor: string, length: number): (string | number | null)[] {
	try {
		const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (Array.isArray(values) && values.length === length && values.every((v) => v === null || ['string', 'number'].includes(typeof v))) {
			return values;
		}
	} catch {
		// fall through to the typed error
	}
	throw invalidCursor();
}
