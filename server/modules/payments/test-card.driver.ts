import { randomBytes } from 'node:crypto';
import { fieldError } from '../../errors';
import type { GatewayDriver } from './gateway';
import { signTestCardBody } from './test-card.secret';

export const TEST_CARD_GATEWAY = 'test-card';

/** Card numbers whose last four digits make the test gateway decline, as real test modes do. */
export const DECLINING_CARDS: Readonly<Record<string, string>> = {
	'0002': 'The card was declined.',
	'9995': 'Insufficient funds.'
};

/** Any other 12-19 digit number is accepted; spaces and dashes as people type them are ignored. */
export function normaliseCardNumber(value: string): string {
	const digits = value.replace(/[\s-]/g, '');
	if (!/^\d{12,19}$/.test(digits)) throw fieldError('cardNumber', 'Enter a card number of 12 to 19 digits.');
	return digits;
}

/**
 * A charge reference the gateway can recognise as its own: random id + a signature over it, so
 * polling an unknown or forged reference never reports success.
 */
function issueReference(): string {
	const id = randomBytes(12).toString('hex');
	return `tc_${id}_${signTestCardBody(id).slice(0, 16)}`;
}

function isOwnReference(reference: string): boolean {
	const match = /^tc_([0-9a-f]{24})_([0-9a-f]{16})$/.exec(reference);
	return !!match && signTestCardBody(match[1]).slice(0, 16) === match[2];
}

/**
 * The test-mode card gateway. Like a real one it declines some cards at once and confirms the
 * rest asynchronously: charge() answers pending, and the outcome arrives later by the signed
 * callback (POST /api/payments/test-card/callback) or by our polling job (poll()).
 */
export const testCardDriver: GatewayDriver = {
	name: TEST_CARD_GATEWAY,
	async charge({ method }) {
		const card = normaliseCardNumber(method.cardNumber ?? '');
		const reference = issueReference();
		const declined = DECLINING_CARDS[card.slice(-4)];
		if (declined) return { status: 'declined', reference, reason: declined };
		return { status: 'pending', reference };
	},
	async poll(reference) {
		return isOwnReference(reference) ? { status: 'succeeded' } : { status: 'failed', reason: 'Unknown charge.' };
	}
};
