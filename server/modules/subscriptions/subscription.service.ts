import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { mutate, type ActivityEntry } from '../../db/mutation';
import { AppError, fieldError, notFound } from '../../errors';
import { systemActor, type Actor } from '../../auth/actor';
import { scheduleJob } from '../../jobs/scheduler';
import type { OutboxEvent } from '../../realtime/outbox-writer';
import { getClient } from '../clients/client.service';
import { ProductSchema } from '../catalog/catalog.entity';
import { findPrice } from '../catalog/catalog.service';
import { SubscriptionSchema, UnbilledChargeSchema, type Subscription, type SubscriptionStatus } from './subscription.entity';
import type { ChangePlanInput, ConfirmChangeInput, CreateSubscriptionInput } from './subscription.schemas';
import { addMonths, assertTransition, cancellationDate, periodAmount, periodEnd, prorationUnit, STATUS_LABELS } from './subscription-lifecycle';
import { prorate, type Proration } from './proration';

/** The job that ends a subscription whose cancellation at period end has come. */
export const SUBSCRIPTION_CANCEL_JOB = 'subscription-cancel';

/** A preview stays confirmable this long; after that the client previews again. */
const PREVIEW_VALID_MS = 15 * 60 * 1000;

const changedEvent = (subscription: Subscription): OutboxEvent => ({
	event: 'subscriptions.changed',
	rooms: [`client:${subscription.clientId}`],
	payload: { clientId: subscription.clientId, subscriptionId: subscription.id, status: subscription.status }
});

const auditFields = (subscription: Subscription) => ({
	product: subscription.productName,
	billingCycle: subscription.billingCycle,
	quantity: subscription.quantity,
	unitPrice: `${subscription.unitPriceMinor} ${subscription.currency} (minor units)`,
	discountBp: subscription.discountBp,
	status: subscription.status,
	currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
	cancelAt: subscription.cancelAt?.toISOString() ?? null
});

/** A subscription of this client, or NOT_FOUND (also for another client's id). */
async function loadOwned(em: EntityManager, clientId: string, subscriptionId: string, lock = false): Promise<Subscription> {
	const subscription = await em.findOne(SubscriptionSchema, { id: subscriptionId, clientId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
	if (!subscription) throw notFound('That subscription');
	return subscription;
}

/** The catalogue price of an active product in the client's currency, for the cycle. */
async function catalogueOffer(em: EntityManager, productId: string, cycle: Subscription['billingCycle'], currency: string) {
	const product = await em.findOne(ProductSchema, { id: productId });
	if (!product || !product.active) throw fieldError('productId', 'Choose an active plan from the catalogue.');
	const price = await findPrice(em, productId, cycle, currency);
	if (!price) throw fieldError('productId', `${product.name} has no ${cycle} price in ${currency}.`);
	return { product, unitPriceMinor: price.amountMinor };
}

export async function createSubscription(em: EntityManager, actor: Actor, input: CreateSubscriptionInput): Promise<Subscription> {
	const client = await getClient(em, actor, input.clientId);
	if (client.status === 'terminated') throw new AppError('CONFLICT', 'This client is terminated: no new subscriptions.');
	const { product, unitPriceMinor } = await catalogueOffer(em, input.productId, input.billingCycle, client.currency);
	const now = new Date();
	const trialEndsAt = input.trialDays > 0 ? new Date(now.getTime() + input.trialDays * 86_400_000) : null;
	// A trial is its own first period; the first paid period starts when it ends.
	const currentPeriodEnd = trialEndsAt ?? periodEnd(now, input.billingCycle);
	return mutate(em, actor, async (tx) => {
		const subscription = tx.create(SubscriptionSchema, {
			id: randomUUID(),
			clientId: client.id,
			productId: product.id,
			productName: product.name,
			billingCycle: input.billingCycle,
			currency: client.currency,
			unitPriceMinor,
			quantity: input.quantity,
			discountBp: input.discountPercent,
			taxClass: product.taxClass,
			status: trialEndsAt ? 'trial' : 'active',
			startedAt: now,
			trialEndsAt,
			currentPeriodStart: now,
			currentPeriodEnd,
			minimumTermEndsAt: input.minimumTermMonths > 0 ? addMonths(now, input.minimumTermMonths) : null,
			noticeDays: input.noticeDays,
			cancelAt: null,
			cancelledAt: null,
			version: 1,
			createdAt: now,
			updatedAt: now
		});
		// Hourly plans are billed on metered usage; a trial is free: neither is charged up front.
		if (!trialEndsAt && input.billingCycle !== 'hourly') {
			tx.create(UnbilledChargeSchema, {
				id: randomUUID(),
				clientId: client.id,
				subscriptionId: subscription.id,
				description: `${product.name} × ${input.quantity}, first ${input.billingCycle === 'monthly' ? 'month' : 'year'}`,
				amountMinor: periodAmount(unitPriceMinor, input.quantity, input.discountPercent),
				currency: client.currency,
				taxClass: product.taxClass,
				periodStart: now,
				periodEnd: currentPeriodEnd,
				invoiceId: null,
				createdAt: now
			});
		}
		return {
			result: subscription,
			activity: {
				clientId: client.id,
				action: 'subscription.created',
				targetType: 'subscription',
				targetId: subscription.id,
				summary: `Subscribed to ${product.name} × ${input.quantity} (${input.billingCycle})${trialEndsAt ? ` with a ${input.trialDays}-day trial` : ''}`,
				after: auditFields(subscription)
			},
			events: [changedEvent(subscription)]
		};
	});
}

/** Moves a subscription to another status inside a transaction, with its activity row. */
async function transition(
	em: EntityManager,
	actor: Actor,
	clientId: string,
	subscriptionId: string,
	to: SubscriptionStatus,
	apply: (subscription: Subscription, now: Date, tx: EntityManager) => Promise<void> | void,
	summary: (subscription: Subscription) => string
): Promise<Subscription> {
	return mutate(em, actor, async (tx) => {
		const subscription = await loadOwned(tx, clientId, subscriptionId, true);
		assertTransition(subscription.status, to);
		const before = auditFields(subscription);
		const now = new Date();
		await apply(subscription, now, tx);
		subscription.status = to;
		subscription.version += 1;
		subscription.updatedAt = now;
		const activity: ActivityEntry = {
			clientId,
			action: `subscription.${to}`,
			targetType: 'subscription',
			targetId: subscription.id,
			summary: summary(subscription),
			before,
			after: auditFields(subscription)
		};
		return { result: subscription, activity, events: [changedEvent(subscription)] };
	});
}

export const suspendSubscription = (em: EntityManager, actor: Actor, clientId: string, subscriptionId: string) =>
	transition(em, actor, clientId, subscriptionId, 'suspended', () => {}, (s) => `Suspended ${s.productName}`);

/** Resumes a suspended subscription, or takes back a pending cancellation. */
export const resumeSubscription = (em: EntityManager, actor: Actor, clientId: string, subscriptionId: string) =>
	transition(
		em,
		actor,
		clientId,
		subscriptionId,
		'active',
		(subscription) => {
			if (subscription.status === 'trial' || subscription.status === 'pending') throw new AppError('CONFLICT', `A ${STATUS_LABELS[subscription.status]} subscription is not suspended.`);
			// Staff suspend, so only staff lift a suspension; a pending cancellation its owner may take back.
			if (subscription.status === 'suspended' && actor.kind !== 'staff') throw notFound('That subscription');
			subscription.cancelAt = null;
		},
		(s) => `Resumed ${s.productName}`
	);

export async function cancelSubscription(em: EntityManager, actor: Actor, input: { clientId: string; subscriptionId: string; when: 'now' | 'period_end' }) {
	if (input.when === 'now') {
		return transition(em, actor, input.clientId, input.subscriptionId, 'cancelled', (subscription, now) => {
			subscription.cancelAt = null;
			subscription.cancelledAt = now;
		}, (s) => `Cancelled ${s.productName} immediately`);
	}
	return transition(
		em,
		actor,
		input.clientId,
		input.subscriptionId,
		'cancellation_pending',
		async (subscription, now, tx) => {
			subscription.cancelAt = cancellationDate({
				now,
				currentPeriodEnd: subscription.currentPeriodEnd,
				cycle: subscription.billingCycle,
				noticeDays: subscription.noticeDays,
				minimumTermEndsAt: subscription.minimumTermEndsAt ?? null
			});
			// Queued in this transaction: the job exists exactly when the pending cancellation does.
			await scheduleJob(SUBSCRIPTION_CANCEL_JOB, { version: 1, subscriptionId: subscription.id }, {
				startAfter: subscription.cancelAt,
				singletonKey: `${subscription.id}:${subscription.cancelAt.toISOString()}`,
				tx
			});
		},
		(s) => `Cancellation of ${s.productName} requested for ${s.cancelAt?.toISOString().slice(0, 10)}`
	);
}

/**
 * The job's work: ends a subscription whose pending cancellation has come. Anything else (taken
 * back, already cancelled, not yet due) is left alone, so a repeated or early run changes nothing.
 */
export async function applyDueCancellation(em: EntityManager, subscriptionId: string, now = new Date()): Promise<'cancelled' | 'unchanged'> {
	const current = await em.fork().findOne(SubscriptionSchema, { id: subscriptionId });
	if (!current || current.status !== 'cancellation_pending' || !current.cancelAt) return 'unchanged';
	if (current.cancelAt.getTime() > now.getTime()) throw new Error('The cancellation is not due yet.');
	return mutate(em.fork(), systemActor('Subscription scheduler'), async (tx) => {
		const subscription = await loadOwned(tx, current.clientId, subscriptionId, true);
		if (subscription.status !== 'cancellation_pending') return { result: 'unchanged' as const, activity: [] };
		const before = auditFields(subscription);
		subscription.status = 'cancelled';
		subscription.cancelledAt = subscription.cancelAt;
		subscription.cancelAt = null;
		subscription.version += 1;
		subscription.updatedAt = now;
		return {
			result: 'cancelled' as const,
			activity: {
				clientId: subscription.clientId,
				action: 'subscription.cancelled',
				targetType: 'subscription',
				targetId: subscription.id,
				summary: `Cancelled ${subscription.productName} at the end of its period`,
				before,
				after: auditFields(subscription)
			},
			events: [changedEvent(subscription)]
		};
	});
}

export interface ChangePreview extends Omit<Proration, 'credit' | 'charge' | 'net'> {
	subscriptionId: string;
	version: number;
	changeAt: string;
	periodStart: string;
	periodEnd: string;
	fromProduct: string;
	toProduct: string;
	quantity: number;
	currency: string;
	credit: string;
	charge: string;
	net: string;
	oldPeriodAmount: string;
	newPeriodAmount: string;
}

async function computeChange(em: EntityManager, subscription: Subscription, input: ChangePlanInput, changeAt: Date): Promise<{ preview: ChangePreview; unitPriceMinor: bigint; product: { id: string; name: string; taxClass: Subscription['taxClass'] } }> {
	if (subscription.status !== 'active' && subscription.status !== 'trial') {
		throw new AppError('CONFLICT', `A ${STATUS_LABELS[subscription.status]} subscription cannot change plan.`);
	}
	if (input.productId === subscription.productId && input.quantity === subscription.quantity) {
		throw fieldError('productId', 'Choose another plan or quantity.');
	}
	const { product, unitPriceMinor } = await catalogueOffer(em, input.productId, subscription.billingCycle, subscription.currency);
	// A trial costs nothing: a change during it is free, and the new price applies from the first paid period.
	const inTrial = subscription.status === 'trial';
	const oldAmount = inTrial ? 0n : periodAmount(subscription.unitPriceMinor, subscription.quantity, subscription.discountBp);
	const newAmount = inTrial ? 0n : periodAmount(unitPriceMinor, input.quantity, subscription.discountBp);
	const proration = prorate({
		periodStart: subscription.currentPeriodStart,
		periodEnd: subscription.currentPeriodEnd,
		changeAt,
		oldAmount,
		newAmount,
		unit: prorationUnit(subscription.billingCycle)
	});
	return {
		product,
		unitPriceMinor,
		preview: {
			subscriptionId: subscription.id,
			version: subscription.version,
			changeAt: changeAt.toISOString(),
			periodStart: subscription.currentPeriodStart.toISOString(),
			periodEnd: subscription.currentPeriodEnd.toISOString(),
			fromProduct: subscription.productName,
			toProduct: product.name,
			quantity: input.quantity,
			currency: subscription.currency,
			totalUnits: proration.totalUnits,
			remainingUnits: proration.remainingUnits,
			credit: proration.credit.toString(),
			charge: proration.charge.toString(),
			net: proration.net.toString(),
			oldPeriodAmount: oldAmount.toString(),
			newPeriodAmount: newAmount.toString()
		}
	};
}

/** What a plan or quantity change would credit and charge if confirmed now. Writes nothing. */
export async function previewChange(em: EntityManager, input: ChangePlanInput): Promise<ChangePreview> {
	const subscription = await loadOwned(em, input.clientId, input.subscriptionId);
	return (await computeChange(em, subscription, input, new Date())).preview;
}

/**
 * Applies a previewed change. The server recomputes the figures at the preview's moment on the
 * locked subscription and refuses when anything differs (the subscription, the catalogue price,
 * the figures), so what the client confirmed is what is charged, to the minor unit.
 */
export async function confirmChange(em: EntityManager, actor: Actor, input: ConfirmChangeInput): Promise<ChangePreview> {
	const now = Date.now();
	if (input.changeAt.getTime() > now + 60_000 || input.changeAt.getTime() < now - PREVIEW_VALID_MS) {
		throw new AppError('CONFLICT', 'This preview has expired: preview the change again.');
	}
	return mutate(em, actor, async (tx) => {
		const subscription = await loadOwned(tx, input.clientId, input.subscriptionId, true);
		if (subscription.version !== input.version) throw new AppError('CONFLICT', 'The subscription changed since the preview: preview the change again.');
		const { preview, unitPriceMinor, product } = await computeChange(tx, subscription, input, input.changeAt);
		if (preview.credit !== input.credit || preview.charge !== input.charge) {
			throw new AppError('CONFLICT', 'The price changed since the preview: preview the change again.');
		}
		const before = auditFields(subscription);
		const changeAt = input.changeAt;
		const lines = [
			{ amount: -BigInt(preview.credit), description: `Unused time on ${subscription.productName} × ${subscription.quantity}`, taxClass: subscription.taxClass },
			{ amount: BigInt(preview.charge), description: `Remaining time on ${product.name} × ${input.quantity}`, taxClass: product.taxClass }
		];
		for (const line of lines) {
			if (line.amount === 0n) continue;
			tx.create(UnbilledChargeSchema, {
				id: randomUUID(),
				clientId: subscription.clientId,
				subscriptionId: subscription.id,
				description: line.description,
				amountMinor: line.amount,
				currency: subscription.currency,
				taxClass: line.taxClass,
				periodStart: changeAt,
				periodEnd: subscription.currentPeriodEnd,
				invoiceId: null,
				createdAt: new Date()
			});
		}
		Object.assign(subscription, {
			productId: product.id,
			productName: product.name,
			unitPriceMinor,
			quantity: input.quantity,
			taxClass: product.taxClass,
			version: subscription.version + 1,
			updatedAt: new Date()
		});
		return {
			result: preview,
			activity: {
				clientId: subscription.clientId,
				action: 'subscription.plan_changed',
				targetType: 'subscription',
				targetId: subscription.id,
				summary: `Changed ${preview.fromProduct} to ${product.name} × ${input.quantity}: credit ${preview.credit}, charge ${preview.charge} ${preview.currency} minor units`,
				before,
				after: { ...auditFields(subscription), credit: preview.credit, charge: preview.charge }
			},
			events: [changedEvent(subscription)]
		};
	});
}
