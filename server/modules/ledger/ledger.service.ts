import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { canReachClient, systemActor, type Actor } from '../../auth/actor';
import { AppError, notFound } from '../../errors';
import { mutate, type ActivityEntry, type OutboxEvent } from '../../db/mutation';
import { ClientSchema, type Client } from '../clients/client.entity';
import { formatMoney, parseAmount } from '../billing/money';
import { LedgerEntrySchema, type LedgerEntry, type LedgerKind } from './ledger-entry.entity';
import { idempotent, type StoredResponse } from './idempotency';
import { gatewayDriver } from '../payments/drivers';
import type { SettledOutcome } from '../payments/gateway';
import { scheduleJob } from '../../jobs/scheduler';
import { LEDGER_CONFIRM_JOB, CONFIRM_DELAY_MS } from './ledger.jobs';

export const LEDGER_CHANGED = 'ledger.changed';

async function reachableClient(em: EntityManager, actor: Actor, clientId: string): Promise<Client> {
	if (!canReachClient(actor, clientId)) throw notFound('Client');
	const client = await em.findOne(ClientSchema, { id: clientId });
	if (!client) throw notFound('Client');
	return client;
}

/** The credit balance: the sum of the client's succeeded entries (one index-only query). */
export async function creditBalance(em: EntityManager, client: Pick<Client, 'id' | 'currency'>): Promise<bigint> {
	const [row] = await em.execute<{ total: string }[]>(
		`select coalesce(sum(amount), 0)::text as total from ledger_entry where client_id = ? and currency = ? and status = 'succeeded'`,
		[client.id, client.currency]
	);
	return BigInt(row.total);
}

const KIND_LABEL: Record<LedgerKind, string> = {
	credit_purchase: 'Credit purchase',
	payment: 'Payment',
	refund: 'Refund',
	credit_applied: 'Credit applied',
	adjustment: 'Adjustment'
};

function entryActivity(entry: LedgerEntry, action: string, summary: string): ActivityEntry {
	return {
		clientId: entry.clientId,
		action,
		targetType: 'ledger_entry',
		targetId: entry.id,
		summary,
		after: {
			kind: entry.kind,
			amount: entry.amount.toString(),
			currency: entry.currency,
			gateway: entry.gateway,
			reference: entry.reference,
			status: entry.status,
			...(entry.reason ? { reason: entry.reason } : {})
		}
	};
}

const changedEvent = (entry: LedgerEntry): OutboxEvent => ({
	event: LEDGER_CHANGED,
	rooms: [`client:${entry.clientId}`],
	payload: { entryId: entry.id, status: entry.status }
});

function newEntry(tx: EntityManager, actor: Actor, fields: Omit<LedgerEntry, 'id' | 'createdAt' | 'createdByUserId' | 'createdByName' | 'failureReason' | 'reason' | 'refundOfId' | 'settledAt'> & Partial<LedgerEntry>): LedgerEntry {
	return tx.create(LedgerEntrySchema, {
		id: randomUUID(),
		failureReason: null,
		reason: null,
		refundOfId: null,
		settledAt: fields.status === 'pending' ? null : new Date(),
		...fields,
		createdAt: new Date(),
		createdByUserId: actor.userId,
		createdByName: actor.impersonator ? `${actor.impersonator.name} as ${actor.name}` : actor.name
	});
}

export interface BuyCreditsInput {
	clientId: string;
	amount: string;
	cardNumber: string;
	idempotencyKey: string;
}

export interface LedgerResult {
	entryId: string;
	status: LedgerEntry['status'];
	replayed: boolean;
}

async function resultOf(em: EntityManager, outcome: { response: StoredResponse; replayed: boolean }): Promise<LedgerResult> {
	const entryId = outcome.response.entryId;
	if (!entryId) throw new Error('Stored idempotent response without an entry.');
	// The entry's status now (a replay after confirmation says succeeded), not the stored one.
	const entry = await em.fork().findOneOrFail(LedgerEntrySchema, { id: entryId });
	return { entryId, status: entry.status, replayed: outcome.replayed };
}

/**
 * Buys prepaid credit with the test card gateway. The charge, its pending ledger entry and the
 * confirmation job are one transaction under the request's idempotency key; a declined card
 * leaves a failed entry (and the stored answer, so a retry of the same key says declined again).
 */
export async function buyCredits(em: EntityManager, actor: Actor, input: BuyCreditsInput): Promise<LedgerResult> {
	const client = await reachableClient(em, actor, input.clientId);
	const amount = parseAmount(input.amount, client.currency);
	const driver = gatewayDriver('test-card');
	const outcome = await idempotent(
		em,
		actor,
		// The card number is part of the hash (a different card is a different request), not stored.
		{ clientId: client.id, scope: 'credit_purchase', key: input.idempotencyKey, params: { amount: amount.toString(), currency: client.currency, card: input.cardNumber.replace(/[\s-]/g, '') } },
		async (tx) => {
			const charge = await driver.charge({ amount, currency: client.currency, method: { cardNumber: input.cardNumber }, idempotencyKey: input.idempotencyKey });
			const entry = newEntry(tx, actor, {
				clientId: client.id,
				kind: 'credit_purchase',
				amount,
				currency: client.currency,
				gateway: driver.name,
				reference: charge.reference,
				status: charge.status === 'declined' ? 'failed' : charge.status,
				failureReason: charge.status === 'declined' ? charge.reason : null
			});
			await tx.flush();
			if (entry.status === 'pending') {
				await scheduleJob(LEDGER_CONFIRM_JOB, { version: 1, entryId: entry.id }, { tx, startAfter: new Date(Date.now() + CONFIRM_DELAY_MS), singletonKey: entry.id });
			}
			const money = formatMoney(amount, client.currency);
			const summary = entry.status === 'failed' ? `Credit purchase of ${money} declined: ${entry.failureReason}` : `Credit purchase of ${money} started (card)`;
			return { result: { entryId: entry.id }, activity: entryActivity(entry, 'ledger.credit_purchase', summary), events: [changedEvent(entry)] };
		}
	);
	return resultOf(em, outcome);
}

/**
 * Applies a gateway's final answer to a pending entry, once: the conditional update only
 * matches while the row is pending, so the callback and the polling job (or two deliveries of
 * either) cannot both apply it. Returns whether this call was the one that applied it.
 */
export async function settleGatewayEntry(em: EntityManager, where: { entryId: string } | { gateway: string; reference: string }, outcome: SettledOutcome, source: 'callback' | 'poll'): Promise<boolean> {
	return mutate(em, systemActor(source === 'callback' ? 'Payment gateway callback' : 'Payment status check'), async (tx) => {
		const filter = 'entryId' in where ? { id: where.entryId } : { gateway: where.gateway, reference: where.reference };
		const status = outcome.status;
		const failureReason = outcome.status === 'failed' ? outcome.reason : null;
		const params = 'entryId' in where ? [where.entryId] : [where.gateway, where.reference];
		const rows = await tx.execute<{ id: string }[]>(
			`update ledger_entry set status = ?, failure_reason = ?, settled_at = now() where ${'entryId' in where ? 'id = ?' : 'gateway = ? and reference = ?'} and status = 'pending' returning id`,
			[status, failureReason, ...params]
		);
		if (!rows.length) {
			const exists = await tx.count(LedgerEntrySchema, filter);
			if (!exists) throw notFound('Payment');
			return { result: false, activity: [] };
		}
		const entry = await tx.findOneOrFail(LedgerEntrySchema, { id: rows[0].id }, { refresh: true });
		const money = formatMoney(entry.amount, entry.currency);
		const summary = status === 'succeeded' ? `${KIND_LABEL[entry.kind]} of ${money} confirmed by the gateway` : `${KIND_LABEL[entry.kind]} of ${money} failed: ${failureReason}`;
		return { result: true, activity: entryActivity(entry, `ledger.${status}`, summary), events: [changedEvent(entry)] };
	});
}

/** The polling side: asks the entry's gateway and applies a final answer (the confirmation job). */
export async function pollGatewayEntry(em: EntityManager, entryId: string): Promise<boolean> {
	const entry = await em.fork().findOne(LedgerEntrySchema, { id: entryId });
	if (!entry || entry.status !== 'pending' || !entry.reference) return false;
	const answer = await gatewayDriver(entry.gateway).poll(entry.reference);
	if (!answer) return false;
	return settleGatewayEntry(em, { entryId }, answer, 'poll');
}

export interface StaffEntryInput {
	clientId: string;
	amount: string;
	idempotencyKey: string;
}

function requireStaff(actor: Actor) {
	// Recording money received or changing a balance is for staff only, whatever a client role holds.
	if (actor.kind === 'client') throw notFound('Client');
}

/** Money received outside the card gateway (bank transfer), recorded by staff with its reference. */
export async function recordOfflinePayment(em: EntityManager, actor: Actor, input: StaffEntryInput & { reference: string }): Promise<LedgerResult> {
	requireStaff(actor);
	const client = await reachableClient(em, actor, input.clientId);
	const amount = parseAmount(input.amount, client.currency);
	const reference = input.reference.trim();
	const outcome = await idempotent(em, actor, { clientId: client.id, scope: 'offline_payment', key: input.idempotencyKey, params: { amount: amount.toString(), reference } }, async (tx) => {
		const entry = newEntry(tx, actor, { clientId: client.id, kind: 'payment', amount, currency: client.currency, gateway: 'manual', reference, status: 'succeeded' });
		await tx.flush();
		return {
			result: { entryId: entry.id },
			activity: entryActivity(entry, 'ledger.payment', `Offline payment of ${formatMoney(amount, client.currency)} recorded (${reference})`),
			events: [changedEvent(entry)]
		};
	});
	return resultOf(em, outcome);
}

/** A signed correction of the balance with a required reason. */
export async function adjustBalance(em: EntityManager, actor: Actor, input: StaffEntryInput & { reason: string }): Promise<LedgerResult> {
	requireStaff(actor);
	const client = await reachableClient(em, actor, input.clientId);
	const amount = parseAmount(input.amount, client.currency, { allowNegative: true });
	const reason = input.reason.trim();
	const outcome = await idempotent(em, actor, { clientId: client.id, scope: 'adjustment', key: input.idempotencyKey, params: { amount: amount.toString(), reason } }, async (tx) => {
		const entry = newEntry(tx, actor, { clientId: client.id, kind: 'adjustment', amount, currency: client.currency, gateway: 'manual', reference: null, status: 'succeeded', reason });
		await tx.flush();
		return {
			result: { entryId: entry.id },
			activity: entryActivity(entry, 'ledger.adjustment', `Balance adjusted by ${formatMoney(amount, client.currency)}: ${reason}`),
			events: [changedEvent(entry)]
		};
	});
	return resultOf(em, outcome);
}

/**
 * Refunds a succeeded credit purchase or payment in full, as a negative `refund` entry. The
 * refunded credit must still be there (a refund never takes the balance below zero), and a
 * unique index allows one refund per entry even under concurrent requests.
 */
export async function refundEntry(em: EntityManager, actor: Actor, input: { clientId: string; entryId: string; idempotencyKey: string }): Promise<LedgerResult> {
	requireStaff(actor);
	const client = await reachableClient(em, actor, input.clientId);
	const outcome = await idempotent(em, actor, { clientId: client.id, scope: 'refund', key: input.idempotencyKey, params: { entryId: input.entryId } }, async (tx) => {
		// Locks the client's ledger for balance checks: refunds of one client run one at a time.
		await tx.execute(`select id from client where id = ? for update`, [client.id]);
		const original = await tx.findOne(LedgerEntrySchema, { id: input.entryId, clientId: client.id });
		if (!original) throw notFound('Transaction');
		if (original.status !== 'succeeded' || !['credit_purchase', 'payment'].includes(original.kind)) {
			throw new AppError('BAD_REQUEST', 'Only a succeeded credit purchase or payment can be refunded.');
		}
		if (await tx.count(LedgerEntrySchema, { refundOfId: original.id, status: { $ne: 'failed' } })) {
			throw new AppError('CONFLICT', 'This transaction was already refunded.');
		}
		if ((await creditBalance(tx, client)) < original.amount) {
			throw new AppError('BAD_REQUEST', 'The credit from this transaction has already been used, so it cannot be refunded in full.');
		}
		const entry = newEntry(tx, actor, { clientId: client.id, kind: 'refund', amount: -original.amount, currency: original.currency, gateway: original.gateway, reference: original.reference, status: 'succeeded', refundOfId: original.id });
		await tx.flush();
		return {
			result: { entryId: entry.id },
			activity: entryActivity(entry, 'ledger.refund', `Refunded ${formatMoney(original.amount, original.currency)} (${KIND_LABEL[original.kind].toLowerCase()} ${original.reference ?? original.id})`),
			events: [changedEvent(entry)]
		};
	});
	return resultOf(em, outcome);
}

export { KIND_LABEL };
