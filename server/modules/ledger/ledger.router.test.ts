import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { startJobs, type JobRunner } from '../../jobs';
import { LedgerEntrySchema } from './ledger-entry.entity';
import { creditBalance } from './ledger.service';
import { ledgerCsvResponse } from './ledger.export';
import { SIGNATURE_HEADER, testCardCallbackResponse } from '../payments/test-card.callback';
import { signTestCardBody } from '../payments/test-card.secret';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();
const staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff' }));
let runner: JobRunner;

beforeAll(async () => {
	// Purchases schedule their confirmation job; no workers run it here (callbacks settle instead).
	runner = await startJobs({ databaseUrl: db.url, orm: db.orm, workers: false, maintenance: false, log: () => {} });
});

afterAll(async () => {
	await runner.stop();
});

async function clientWithOwner() {
	const client = await newClient(db.em());
	const owner = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' }));
	return { client, owner };
}

const callback = (body: Record<string, unknown>, signature?: string) => {
	const raw = JSON.stringify(body);
	return testCardCallbackResponse(
		db.em(),
		new Request('http://localhost/api/payments/test-card/callback', { method: 'POST', body: raw, headers: { [SIGNATURE_HEADER]: signature ?? signTestCardBody(raw) } })
	);
};

async function failure(promise: Promise<unknown>) {
	return promise.then(
		() => null,
		(error: unknown) => {
			if (!(error instanceof TRPCError)) throw error;
			return { code: error.code, fieldErrors: error.cause instanceof AppError ? (error.cause.fieldErrors ?? {}) : {} };
		}
	);
}

describe('transactions procedures', () => {
	it('lists newest first with the balance, filters and keyset pages', async () => {
		const { client, owner } = await clientWithOwner();
		const staffCaller = callerFor(db.em(), staff);
		for (const amount of ['1.00', '2.00', '3.00']) {
			await staffCaller.transactions.recordPayment({ clientId: client.id, amount, reference: `R-${amount}`, idempotencyKey: randomUUID() });
		}
		await callerFor(db.em(), owner).transactions.buy({ clientId: client.id, amount: '9.99', cardNumber: '4000000000000002', idempotencyKey: randomUUID() });

		const caller = callerFor(db.em(), owner);
		const first = await caller.transactions.list({ clientId: client.id, limit: 2 });
		expect(first.balance).toBe(600n);
		expect(first.currency).toBe('EUR');
		expect(first).toMatchObject({ canBuy: true, canManage: false });
		expect(first.items.map((item) => item.kind)).toEqual(['credit_purchase', 'payment']);
		const second = await caller.transactions.list({ clientId: client.id, limit: 2, cursor: first.nextCursor! });
		expect(second.items.map((item) => item.reference)).toEqual(['R-2.00', 'R-1.00']);
		expect(second.nextCursor).toBeNull();

		const failed = await caller.transactions.list({ clientId: client.id, status: 'failed' });
		expect(failed.items).toHaveLength(1);
		expect(failed.items[0].failureReason).toBe('The card was declined.');
		const today = new Date().toISOString().slice(0, 10);
		expect((await caller.transactions.list({ clientId: client.id, kind: 'payment', from: today, to: today })).items).toHaveLength(3);
		expect((await caller.transactions.list({ clientId: client.id, to: '2020-01-01' })).items).toHaveLength(0);
	});

	it('gives field errors for bad amounts and hides other tenants and staff actions', async () => {
		const { client, owner } = await clientWithOwner();
		const other = await clientWithOwner();
		const caller = callerFor(db.em(), owner);
		const bad = await failure(caller.transactions.buy({ clientId: client.id, amount: '1.234', cardNumber: '4242424242424242', idempotencyKey: randomUUID() }));
		expect(bad?.fieldErrors.amount).toEqual(['EUR has at most 2 decimals.']);
		expect((await failure(caller.transactions.list({ clientId: other.client.id })))?.code).toBe('NOT_FOUND');
		expect((await failure(caller.transactions.adjust({ clientId: client.id, amount: '5', reason: 'free money', idempotencyKey: randomUUID() })))?.code).toBe('NOT_FOUND');
		expect(await creditBalance(db.em(), client)).toBe(0n);
	});
});

describe('test card callback', () => {
	it('applies a signed confirmation once and refuses bad signatures and unknown charges', async () => {
		const { client, owner } = await clientWithOwner();
		const bought = await callerFor(db.em(), owner).transactions.buy({ clientId: client.id, amount: '15.00', cardNumber: '4242 4242 4242 4242', idempotencyKey: randomUUID() });
		const { reference } = await db.em().findOneOrFail(LedgerEntrySchema, { id: bought.entryId });

		expect((await callback({ reference, status: 'succeeded' }, 'f'.repeat(64))).status).toBe(401);
		expect((await callback({ reference, status: 'succeeded' }, 'nonsense')).status).toBe(401);
		expect(await creditBalance(db.em(), client)).toBe(0n);

		const applied = await callback({ reference, status: 'succeeded' });
		expect(await applied.json()).toEqual({ applied: true });
		const repeat = await callback({ reference, status: 'succeeded' });
		expect(await repeat.json()).toEqual({ applied: false });
		expect(await creditBalance(db.em(), client)).toBe(1500n);

		expect((await callback({ reference: 'tc_unknown', status: 'succeeded' })).status).toBe(404);
		expect((await callback({ nothing: true })).status).toBe(400);
	});

	it('a failed callback leaves a failed entry and no credit', async () => {
		const { client, owner } = await clientWithOwner();
		const bought = await callerFor(db.em(), owner).transactions.buy({ clientId: client.id, amount: '15.00', cardNumber: '4242 4242 4242 4242', idempotencyKey: randomUUID() });
		const { reference } = await db.em().findOneOrFail(LedgerEntrySchema, { id: bought.entryId });
		await callback({ reference, status: 'failed', reason: '3-D Secure failed.' });
		const entry = await db.em().findOneOrFail(LedgerEntrySchema, { id: bought.entryId });
		expect(entry).toMatchObject({ status: 'failed', failureReason: '3-D Secure failed.' });
		expect(await creditBalance(db.em(), client)).toBe(0n);
	});
});

describe('CSV export', () => {
	it('streams the filtered ledger with exact amounts, and 404s for other tenants', async () => {
		const { client, owner } = await clientWithOwner();
		const other = await clientWithOwner();
		await callerFor(db.em(), staff).transactions.adjust({ clientId: client.id, amount: '-12.30', reason: '=HYPERLINK("x")', idempotencyKey: randomUUID() });
		const response = await ledgerCsvResponse(db.em(), owner, client.id, new URLSearchParams({ kind: 'adjustment' }));
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const [header, line] = (await response.text()).trim().split('\n');
		expect(header).toBe('time,type,gateway,reference,amount,currency,status,failure reason,reason,by,id');
		expect(line).toContain(',adjustment,manual,,-12.30,EUR,succeeded,,');
		expect(line).toContain(`"'=HYPERLINK(""x"")"`);

		const hidden = await ledgerCsvResponse(db.em(), (other.owner satisfies Actor), client.id, new URLSearchParams());
		expect(hidden.status).toBe(404);
		expect((await ledgerCsvResponse(db.em(), owner, client.id, new URLSearchParams({ status: 'nope' }))).status).toBe(400);
	});
});
