import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors';
import { ProductPriceSchema, ProductSchema } from '../catalog/catalog.entity';
import { SubscriptionSchema, type Subscription } from './subscription.entity';
import type { ListSubscriptionsInput } from './subscription.schemas';
import { periodAmount } from './subscription-lifecycle';

export const SUBSCRIPTION_PAGE_SIZE = 25;

export interface SubscriptionView {
	id: string;
	productId: string;
	productName: string;
	billingCycle: Subscription['billingCycle'];
	currency: string;
	unitPriceMinor: bigint;
	quantity: number;
	discountBp: number;
	/** What one period costs after quantity and discount. */
	periodAmountMinor: bigint;
	status: Subscription['status'];
	startedAt: Date;
	trialEndsAt: Date | null;
	currentPeriodStart: Date;
	/** The next renewal (none once cancelled or expired). */
	nextRenewal: Date | null;
	minimumTermEndsAt: Date | null;
	noticeDays: number;
	cancelAt: Date | null;
	cancelledAt: Date | null;
	version: number;
}

const toView = (row: Subscription): SubscriptionView => ({
	id: row.id,
	productId: row.productId,
	productName: row.productName,
	billingCycle: row.billingCycle,
	currency: row.currency,
	unitPriceMinor: row.unitPriceMinor,
	quantity: row.quantity,
	discountBp: row.discountBp,
	periodAmountMinor: periodAmount(row.unitPriceMinor, row.quantity, row.discountBp),
	status: row.status,
	startedAt: row.startedAt,
	trialEndsAt: row.trialEndsAt ?? null,
	currentPeriodStart: row.currentPeriodStart,
	nextRenewal: ['cancelled', 'expired', 'cancellation_pending'].includes(row.status) ? null : row.currentPeriodEnd,
	minimumTermEndsAt: row.minimumTermEndsAt ?? null,
	noticeDays: row.noticeDays,
	cancelAt: row.cancelAt ?? null,
	cancelledAt: row.cancelledAt ?? null,
	version: row.version
});

const encodeCursor = (row: Subscription) => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
	try {
		const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
		const date = new Date(createdAt);
		if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
		return { createdAt: date, id };
	} catch {
		throw new AppError('BAD_REQUEST', 'This page link is not valid: start from the first page.');
	}
}

/** One page of a client's subscriptions, newest first, keyset on (created_at, id). */
export async function listSubscriptions(em: EntityManager, input: ListSubscriptionsInput) {
	const where: Record<string, unknown> = { clientId: input.clientId };
	if (input.status) where.status = input.status;
	if (input.productId) where.productId = input.productId;
	if (input.cursor) {
		const { createdAt, id } = decodeCursor(input.cursor);
		where.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }];
	}
	const rows = await em.find(SubscriptionSchema, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: SUBSCRIPTION_PAGE_SIZE + 1 });
	const page = rows.slice(0, SUBSCRIPTION_PAGE_SIZE);
	return {
		items: page.map(toView),
		nextCursor: rows.length > SUBSCRIPTION_PAGE_SIZE ? encodeCursor(page[page.length - 1]) : null
	};
}

/** Active plans and add-ons with their prices in the client's currency, for the create and change forms. */
export async function subscriptionOptions(em: EntityManager, currency: string) {
	const products = await em.find(ProductSchema, { active: true, kind: { $in: ['plan', 'addon', 'licence'] } }, { orderBy: { name: 'asc' } });
	const prices = products.length ? await em.find(ProductPriceSchema, { productId: { $in: products.map((p) => p.id) }, currency }) : [];
	return {
		currency,
		products: products
			.map((product) => ({
				id: product.id,
				name: product.name,
				kind: product.kind,
				prices: prices.filter((price) => price.productId === product.id).map((price) => ({ billingCycle: price.billingCycle, amountMinor: price.amountMinor }))
			}))
			.filter((product) => product.prices.length > 0)
	};
}
