import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { startJobs, type JobRunner } from '../../jobs';
import type { Client } from '../clients/client.entity';
import { ActivitySchema } from '../activity/activity.entity';
import { LedgerEntrySchema } from './ledger-entry.entity';
import { IdempotencyKeySchema } from './idempotency-key.entity';
import { deleteExpiredIdempotencyKeys } from './idempotency';
import { adjustBalance, buyCredits, creditBalance, pollGatewayEntry, recordOfflinePayment, refundEntry, settleGatewayEntry } from './ledger.service';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();
let runner: JobRunner;
let staff: Actor;

beforeAll(async () => {
	// No background workers: the tests run the confirmation jobs themselves.
	runner = await startJobs({ databaseUrl: db.url, orm: db.orm, workers: false, maintenance: false, log: () => {} });
	staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff' }));
});

afterAll(async () => {
	await runner.stop();
});

async function clientWithOwner(): Promise<{ client: Client; owner: Actor }> {
	const client = await newClient(db.em());
	const owner = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' }));
	return { client, owner };
}

const buy = (owner: Actor, client: Client, amount: string, key = randomUUID(), cardNumber = '4242 4242 4242 4242') =>
	buyCredits(db.em(), owner, { clientId: client.id, amount, cardNumber, idempotencyKey: key });

async function expectError(promise: Promise<unknown>, code: string): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(AppError);
	expect((error as AppError).code).toBe(code);
	return error as AppError;
}

describe('buying credits with the test card', () => {
	it('starts pending, adds nothing until confirmed, then the polling job settles it', async () => {
		const { client, owner } = await clientWithOwner();
		const bought = await buy(owner, client, '25.50');
		expect(bought).toMatchObject({ status: 'pending', replayed: false });
		expect(await creditBalance(db.em(), client)).toBe(0n);

		expect(await pollGatewayEntry(db.em(), bought.entryId)).toBe(true);
		expect(await creditBalance(db.em(), client)).toBe(2550n);
		const activity = await db.em().find(ActivitySchema, { clientId: client.id, targetId: bought.entryId }, { orderBy: { id: 'asc' } });
		expect(activity.map((row) => row.action)).toEqual(['ledger.credit_purchase', 'ledger.succeeded']);
	});

	it('a declining card leaves a failed entry and no credit; the same key says declined again', async () => {
		const { client, owner } = await clientWithOwner();
		const key = randomUUID();
		const declined = await buy(owner, client, '10', key, '4000 0000 0000 0002');
		expect(declined.status).toBe('failed');
		const entry = await db.em().findOneOrFail(LedgerEntrySchema, { id: declined.entryId });
		expect(entry.failureReason).toBe('The card was declined.');
		expect(await buy(owner, client, '10', key, '4000 0000 0000 0002')).toEqual({ ...declined, replayed: true });
		expect(await creditBalance(db.em(), client)).toBe(0n);
	});

	it('callback and poll (and a second callback) apply a confirmation once', async () => {
		const { client, owner } = await clientWithOwner();
		const bought = await buy(owner, client, '40.00');
		const entry = await db.em().findOneOrFail(LedgerEntrySchema, { id: bought.entryId });
		const results = await Promise.all([
			settleGatewayEntry(db.em(), { gateway: 'test-card', reference: entry.reference! }, { status: 'succeeded' }, 'callback'),
			pollGatewayEntry(db.em(), bought.entryId),
			settleGatewayEntry(db.em(), { gateway: 'test-card', reference: entry.reference! }, { status: 'succeeded' }, 'callback')
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
		expect(await creditBalance(db.em(), client)).toBe(4000n);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'ledger.succeeded' })).toBe(1);
		// A late "failed" cannot undo a settled charge.
		expect(await settleGatewayEntry(db.em(), { entryId: bought.entryId }, { status: 'failed', reason: 'late' }, 'callback')).toBe(false);
		expect(await creditBalance(db.em(), client)).toBe(4000n);
	});

	it('runs the confirmation through the scheduled pg-boss job', async () => {
		const { client, owner } = await clientWithOwner();
		await buy(owner, client, '5.00');
		// The job waits CONFIRM_DELAY_MS before its first run; poll the queue until it has run.
		for (let attempt = 0; attempt < 40 && (await creditBalance(db.em(), client)) === 0n; attempt += 1) {
			await runner.runDueJobs();
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		expect(await creditBalance(db.em(), client)).toBe(500n);
	});
});

describe('idempotency', () => {
	it('50 concurrent identical purchases make exactly one entry and all get the same answer', async () => {
		const { client, owner } = await clientWithOwner();
		const key = randomUUID();
		const results = await Promise.all(Array.from({ length: 50 }, () => buy(owner, client, '12.34', key)));
		expect(new Set(results.map((result) => result.entryId)).size).toBe(1);
		expect(results.filter((result) => !result.replayed)).toHaveLength(1);
		expect(await db.em().count(LedgerEntrySchema, { clientId: client.id })).toBe(1);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'ledger.credit_purchase' })).toBe(1);
	});

	it('the same key with different details is a CONFLICT; another key is another purchase', async () => {
		const { client, owner } = await clientWithOwner();
		const key = randomUUID();
		await buy(owner, client, '1.00', key);
		const error = await expectError(buy(owner, client, '2.00', key), 'CONFLICT');
		expect(error.message).toMatch(/different details/);
		await buy(owner, client, '1.00');
		expect(await db.em().count(LedgerEntrySchema, { clientId: client.id })).toBe(2);
	});

	it('keys are per client: another client may use the same key', async () => {
		const first = await clientWithOwner();
		const second = await clientWithOwner();
		const key = randomUUID();
		const a = await buy(first.owner, first.client, '3.00', key);
		const b = await buy(second.owner, second.client, '3.00', key);
		expect(a.entryId).not.toBe(b.entryId);
	});

	it('a request that fails validation stores nothing, so the key can be used again', async () => {
		const { client, owner } = await clientWithOwner();
		const key = randomUUID();
		await expectError(buy(owner, client, '1.00', key, '12'), 'BAD_REQUEST');
		expect(await db.em().count(IdempotencyKeySchema, { clientId: client.id })).toBe(0);
		expect((await buy(owner, client, '1.00', key)).replayed).toBe(false);
	});

	it('expired keys are removed (older than 24 hours) and recent ones kept', async () => {
		const { client, owner } = await clientWithOwner();
		const oldKey = randomUUID();
		const first = await buy(owner, client, '1.00', oldKey);
		await buy(owner, client, '1.00');
		await db.em().execute(`update idempotency_key set created_at = now() - interval '25 hours' where key = ?`, [oldKey]);
		// The client's next request drops its expired keys; the key is then new again.
		const again = await buy(owner, client, '1.00', oldKey);
		expect(again).toMatchObject({ replayed: false });
		expect(again.entryId).not.toBe(first.entryId);
		expect(await db.em().count(IdempotencyKeySchema, { clientId: client.id })).toBe(2);

		await db.em().execute(`update idempotency_key set created_at = now() - interval '25 hours' where client_id = ?`, [client.id]);
		expect(await deleteExpiredIdempotencyKeys(db.em())).toBeGreaterThanOrEqual(2);
		expect(await db.em().count(IdempotencyKeySchema, { clientId: client.id })).toBe(0);
	});
});

describe('staff entries', () => {
	it('an offline payment, an adjustment and a refund move the balance exactly', async () => {
		const { client, owner } = await clientWithOwner();
		const payment = await recordOfflinePayment(db.em(), staff, { clientId: client.id, amount: '100.00', reference: 'BANK-2026-0042', idempotencyKey: randomUUID() });
		expect(payment.status).toBe('succeeded');
		await adjustBalance(db.em(), staff, { clientId: client.id, amount: '5.01', reason: 'Goodwill credit', idempotencyKey: randomUUID() });
		await adjustBalance(db.em(), staff, { clientId: client.id, amount: '-0.01', reason: 'Rounding correction', idempotencyKey: randomUUID() });
		expect(await creditBalance(db.em(), client)).toBe(10500n);

		const refund = await refundEntry(db.em(), staff, { clientId: client.id, entryId: payment.entryId, idempotencyKey: randomUUID() });
		expect(refund.status).toBe('succeeded');
		expect(await creditBalance(db.em(), client)).toBe(500n);
		await expectError(refundEntry(db.em(), staff, { clientId: client.id, entryId: payment.entryId, idempotencyKey: randomUUID() }), 'CONFLICT');

		// Client users cannot record staff entries, whatever their role.
		await expectError(recordOfflinePayment(db.em(), owner, { clientId: client.id, amount: '1', reference: 'x', idempotencyKey: randomUUID() }), 'NOT_FOUND');
	});

	it('a refund needs the credit to be still there', async () => {
		const { client, owner } = await clientWithOwner();
		const bought = await buy(owner, client, '10.00');
		await pollGatewayEntry(db.em(), bought.entryId);
		await adjustBalance(db.em(), staff, { clientId: client.id, amount: '-5.00', reason: 'Usage', idempotencyKey: randomUUID() });
		await expectError(refundEntry(db.em(), staff, { clientId: client.id, entryId: bought.entryId, idempotencyKey: randomUUID() }), 'BAD_REQUEST');
	});

	it('an adjustment needs a reason (enforced by the table too)', async () => {
		const { client } = await clientWithOwner();
		await expect(
			db.em().execute(`insert into ledger_entry (id, client_id, kind, amount, currency, gateway, status, created_at, created_by_name, settled_at) values (?, ?, 'adjustment', 5, 'EUR', 'manual', 'succeeded', now(), 'x', now())`, [randomUUID(), client.id])
		).rejects.toThrow(/check constraint/);
	});
});

describe('the ledger is append-only', () => {
	it('refuses rewriting amounts, deleting rows and re-settling a settled entry', async () => {
		const { client } = await clientWithOwner();
		const payment = await recordOfflinePayment(db.em(), staff, { clientId: client.id, amount: '10.00', reference: 'R1', idempotencyKey: randomUUID() });
		await expect(db.em().execute(`update ledger_entry set amount = 1 where id = ?`, [payment.entryId])).rejects.toThrow(/append-only/);
		await expect(db.em().execute(`update ledger_entry set status = 'failed' where id = ?`, [payment.entryId])).rejects.toThrow(/append-only/);
		await expect(db.em().execute(`delete from ledger_entry where id = ?`, [payment.entryId])).rejects.toThrow(/append-only/);
		await expect(db.em().execute(`truncate ledger_entry cascade`)).rejects.toThrow(/append-only/);
	});

	it('lets a pending entry settle once, but not change its amount while doing so', async () => {
		const { client, owner } = await clientWithOwner();
		const bought = await buy(owner, client, '7.00');
		await expect(db.em().execute(`update ledger_entry set status = 'succeeded', settled_at = now(), amount = 70000 where id = ?`, [bought.entryId])).rejects.toThrow(/append-only/);
		expect(await pollGatewayEntry(db.em(), bought.entryId)).toBe(true);
		expect(await creditBalance(db.em(), client)).toBe(700n);
	});
});

describe('tenancy', () => {
	it("a client user cannot buy for another client (NOT_FOUND, nothing written)", async () => {
		const mine = await clientWithOwner();
		const other = await clientWithOwner();
		await expectError(buy(mine.owner, other.client, '1.00'), 'NOT_FOUND');
		expect(await db.em().count(LedgerEntrySchema, { clientId: other.client.id })).toBe(0);
	});
});
