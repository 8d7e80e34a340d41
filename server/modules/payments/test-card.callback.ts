import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AppError } from '../../errors';
import { settleGatewayEntry } from '../ledger/ledger.service';
import { TEST_CARD_GATEWAY } from './test-card.driver';
import { verifyTestCardSignature } from './test-card.secret';

export const SIGNATURE_HEADER = 'x-test-card-signature';

const callbackBody = z.object({
	reference: z.string().min(1).max(200),
	status: z.enum(['succeeded', 'failed']),
	reason: z.string().max(500).optional()
});

const json = (status: number, body: Record<string, unknown>) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });

/**
 * POST /api/payments/test-card/callback: the gateway's webhook. The HMAC over the raw body is
 * checked before anything is parsed; the outcome is applied once (a repeat delivery, or one
 * after our polling job settled the charge, answers applied: false).
 */
export async function testCardCallbackResponse(em: EntityManager, request: Request): Promise<Response> {
	const raw = await request.text();
	if (raw.length > 10_000) return json(413, { error: 'Body too large.' });
	if (!verifyTestCardSignature(raw, request.headers.get(SIGNATURE_HEADER))) return json(401, { error: 'Bad signature.' });
	let data: z.infer<typeof callbackBody>;
	try {
		data = callbackBody.parse(JSON.parse(raw));
	} catch {
		return json(400, { error: 'Bad body.' });
	}
	const outcome = data.status === 'succeeded' ? ({ status: 'succeeded' } as const) : ({ status: 'failed', reason: data.reason ?? 'Declined by the gateway.' } as const);
	try {
		const applied = await settleGatewayEntry(em, { gateway: TEST_CARD_GATEWAY, reference: data.reference }, outcome, 'callback');
		return json(200, { applied });
	} catch (error) {
		if (error instanceof AppError && error.code === 'NOT_FOUND') return json(404, { error: 'Unknown charge.' });
		throw error;
	}
}
