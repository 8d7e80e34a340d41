import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { startJobs, type JobRunner } from '../../jobs';
import { productInput } from '../catalog/catalog.schemas';
import { createProduct, type ProductView } from '../catalog/catalog.service';
import { SubscriptionSchema, UnbilledChargeSchema } from './subscription.entity';
import { createSubscriptionInput } from './subscription.schemas';
import { applyDueCancellation, cancelSubscription, confirmChange, createSubscription, previewChange, resumeSubscription, suspendSubscription } from './subscription.service';
import { listSubscriptions } from './subscription.queries';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();
let runner: JobRunner;
let staff: Actor;
let small: ProductView;
let large: ProductView;

const plan = (name: string, eur: string, usd: string) =>
	createProduct(
		db.em(),
		staff,
		productInput.parse({
			kind: 'plan',
			name: `${name} ${uniqueSuffix()}`,
			taxClass: 'standard',
			prices: [
				{ billingCycle: 'monthly', currency: 'EUR', amount: eur },
				{ billingCycle: 'monthly', currency: 'USD', amount: usd },
				{ billingCycle: 'yearly', currency: 'EUR', amount: eur }
			]
		})
	);

beforeAll(async () => {
	// No background workers: the tests run due jobs themselves, when they choose.
	runner = await startJobs({ databaseUrl: db.url, orm: db.orm, workers: false, maintenance: false, log: () => {} });
	staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff', name: 'Sub Scriber' }));
	small = await plan('VM S', '9.00', '10.00');
	large = await plan('VM L', '39.00', '43.00');
});

afterAll(async () => {
	await runner.stop();
});

async function tenant(currency = 'EUR') {
	const em = db.em();
	const client = await newClient(em, { name: `Subscriber ${uniqueSuffix()}`, currency });
	const owner = await actorFor(em, await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner' }));
	return { client, owner };
}

const create = (clientId: string, overrides: Record<string, unknown> = {}) =>
	createSubscription(db.em(), staff, createSubscriptionInput.parse({ clientId, productId: small.id, billingCycle: 'monthly', quantity: 2, ...overrides }));

const charges = (subscriptionId: string) => db.em().find(UnbilledChargeSchema, { subscriptionId }, { orderBy: { createdAt: 'asc', amountMinor: 'asc' } });

describe('subscriptions', () => {
	it('takes the price from the catalogue in the client currency and records the first period as an unbilled charge', async () => {
		const { client } = await tenant('USD');
		const subscription = await create(client.id, { discountPercent: '12.5' });
		expect(subscription).toMatchObject({ status: 'active', currency: 'USD', unitPriceMinor: 1000n, quantity: 2, discountBp: 1250 });
		const lines = await charges(subscription.id);
		expect(lines.map((line) => [line.amountMinor, line.currency])).toEqual([[1750n, 'USD']]);
	});

	it('starts a free trial without a charge', async () => {
		const { client } = await tenant();
		const subscription = await create(client.id, { trialDays: 14 });
		expect(subscription.status).toBe('trial');
		expect(subscription.currentPeriodEnd.getTime() - subscription.startedAt.getTime()).toBe(14 * 86_400_000);
		expect(await charges(subscription.id)).toHaveLength(0);
	});

	it('enforces the allowed transitions with a clear error', async () => {
		const { client } = await tenant();
		const subscription = await create(client.id);
		await suspendSubscription(db.em(), staff, client.id, subscription.id);
		const twice = await suspendSubscription(db.em(), staff, client.id, subscription.id).catch((e: unknown) => e);
		expect(twice).toBeInstanceOf(AppError);
		expect((twice as AppError).message).toBe('A suspended subscription cannot become suspended.');
		await resumeSubscription(db.em(), staff, client.id, subscription.id);
		await cancelSubscription(db.em(), staff, { clientId: client.id, subscriptionId: subscription.id, when: 'now' });
		const revived = await resumeSubscription(db.em(), staff, client.id, subscription.id).catch((e: unknown) => e);
		expect((revived as AppError).message).toBe('A cancelled subscription cannot become active.');
		const row = await db.em().findOneOrFail(SubscriptionSchema, { id: subscription.id });
		expect(row.status).toBe('cancelled');
	});

	it('charges on confirm exactly what the preview showed, and refuses figures that differ', async () => {
		const { client } = await tenant();
		const subscription = await create(client.id);
		// Half-way through a 30-day period.
		const periodStart = new Date(Date.now() - 15 * 86_400_000);
		await db.em().nativeUpdate(SubscriptionSchema, { id: subscription.id }, { currentPeriodStart: periodStart, currentPeriodEnd: new Date(periodStart.getTime() + 30 * 86_400_000) });
		const change = { clientId: client.id, subscriptionId: subscription.id, productId: large.id, quantity: 2 };
		const preview = await previewChange(db.em(), change);
		expect(preview).toMatchObject({ totalUnits: 30, remainingUnits: 15, credit: '900', charge: '3900', net: '3000' });

		const tampered = await confirmChange(db.em(), staff, { ...change, changeAt: new Date(preview.changeAt), version: preview.version, credit: preview.credit, charge: '3800' }).catch((e: unknown) => e);
		expect((tampered as AppError).code).toBe('CONFLICT');

		const confirmed = await confirmChange(db.em(), staff, { ...change, changeAt: new Date(preview.changeAt), version: preview.version, credit: preview.credit, charge: preview.charge });
		expect(confirmed).toEqual(preview);
		const lines = (await charges(subscription.id)).slice(1);
		expect(lines.map((line) => line.amountMinor).sort()).toEqual([-900n, 3900n].sort());
		expect(lines.reduce((sum, line) => sum + line.amountMinor, 0n)).toBe(BigInt(preview.net));

		// The same confirm again is refused: the subscription moved on (no double charge).
		const again = await confirmChange(db.em(), staff, { ...change, changeAt: new Date(preview.changeAt), version: preview.version, credit: preview.credit, charge: preview.charge }).catch((e: unknown) => e);
		expect((again as AppError).code).toBe('CONFLICT');
		expect(await charges(subscription.id)).toHaveLength(3);
	});

	it('cancels at period end through the job, when the date comes', async () => {
		const { client } = await tenant();
		const subscription = await create(client.id);
		await db.em().nativeUpdate(SubscriptionSchema, { id: subscription.id }, { currentPeriodEnd: new Date(Date.now() + 1_000) });
		const pending = await cancelSubscription(db.em(), staff, { clientId: client.id, subscriptionId: subscription.id, when: 'period_end' });
		expect(pending.status).toBe('cancellation_pending');
		expect(pending.cancelAt).not.toBeNull();
		const deadline = Date.now() + 20_000;
		for (;;) {
			await runner.runDueJobs();
			const row = await db.em().findOneOrFail(SubscriptionSchema, { id: subscription.id });
			if (row.status === 'cancelled') break;
			if (Date.now() > deadline) throw new Error('The cancellation job did not run.');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		// A second delivery changes nothing.
		expect(await applyDueCancellation(db.em(), subscription.id)).toBe('unchanged');
	});

	it('a pending cancellation taken back stays active when its job runs', async () => {
		const { client, owner } = await tenant();
		const subscription = await create(client.id);
		await cancelSubscription(db.em(), owner, { clientId: client.id, subscriptionId: subscription.id, when: 'period_end' });
		const resumed = await resumeSubscription(db.em(), owner, client.id, subscription.id);
		expect(resumed).toMatchObject({ status: 'active', cancelAt: null });
		expect(await applyDueCancellation(db.em(), subscription.id, new Date(Date.now() + 400 * 86_400_000))).toBe('unchanged');
	});

	it('filters by status and plan and pages by keyset', async () => {
		const { client } = await tenant();
		for (let i = 0; i < 27; i++) await create(client.id, { productId: i % 3 === 0 ? large.id : small.id });
		const first = await listSubscriptions(db.em(), { clientId: client.id });
		expect(first.items).toHaveLength(25);
		const second = await listSubscriptions(db.em(), { clientId: client.id, cursor: first.nextCursor ?? undefined });
		expect(second.items).toHaveLength(2);
		expect(second.nextCursor).toBeNull();
		expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(27);
		expect((await listSubscriptions(db.em(), { clientId: client.id, productId: large.id })).items).toHaveLength(9);
		expect((await listSubscriptions(db.em(), { clientId: client.id, status: 'cancelled' })).items).toHaveLength(0);
	});

	it('another tenant gets NOT_FOUND, and a client owner may not lift a suspension', async () => {
		const a = await tenant();
		const b = await tenant();
		const subscription = await create(a.client.id);
		const foreign = await callerFor(db.em(), b.owner)
			.subscriptions.previewChange({ clientId: a.client.id, subscriptionId: subscription.id, productId: large.id, quantity: 1 })
			.catch((e: unknown) => e);
		expect((foreign as TRPCError).code).toBe('NOT_FOUND');
		// Their own client id with the other tenant's subscription id.
		const crossed = await callerFor(db.em(), b.owner)
			.subscriptions.cancel({ clientId: b.client.id, subscriptionId: subscription.id, when: 'period_end' })
			.catch((e: unknown) => e);
		expect((crossed as TRPCError).code).toBe('NOT_FOUND');
		await suspendSubscription(db.em(), staff, a.client.id, subscription.id);
		const lift = await callerFor(db.em(), a.owner)
			.subscriptions.resume({ clientId: a.client.id, subscriptionId: subscription.id })
			.catch((e: unknown) => e);
		expect((lift as TRPCError).code).toBe('NOT_FOUND');
	});
});
