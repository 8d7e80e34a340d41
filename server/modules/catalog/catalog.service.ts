import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { mutate } from '../../db/mutation';
import { AppError, fieldError, notFound } from '../../errors';
import type { Actor } from '../../auth/actor';
import { ProductPriceSchema, ProductSchema, type BillingCycle, type Product, type ProductPrice } from './catalog.entity';
import { formatMinor, parseMinor } from './catalog-money';
import type { ListProductsInput, ProductInput, UpdateProductInput } from './catalog.schemas';

export interface PriceView {
	billingCycle: BillingCycle;
	currency: string;
	amountMinor: bigint;
	/** The amount as decimal text, for form fields. */
	amount: string;
}

export interface ProductView {
	id: string;
	kind: Product['kind'];
	name: string;
	description: string;
	taxClass: Product['taxClass'];
	active: boolean;
	prices: PriceView[];
}

const CYCLE_ORDER: Record<BillingCycle, number> = { hourly: 0, monthly: 1, yearly: 2 };

function toView(product: Product, prices: ProductPrice[]): ProductView {
	return {
		id: product.id,
		kind: product.kind,
		name: product.name,
		description: product.description,
		taxClass: product.taxClass,
		active: product.active,
		prices: prices
			.filter((price) => price.productId === product.id)
			.sort((a, b) => CYCLE_ORDER[a.billingCycle] - CYCLE_ORDER[b.billingCycle] || a.currency.localeCompare(b.currency))
			.map((price) => ({
				billingCycle: price.billingCycle,
				currency: price.currency,
				amountMinor: price.amountMinor,
				amount: formatMinor(price.amountMinor, price.currency)
			}))
	};
}

/** The whole catalogue (it is small: tens of products), by kind then name. */
export async function listProducts(em: EntityManager, filter: Partial<ListProductsInput> = {}): Promise<ProductView[]> {
	const where: Record<string, unknown> = {};
	if (filter.kind) where.kind = filter.kind;
	if (filter.includeInactive === false) where.active = true;
	const products = await em.find(ProductSchema, where, { orderBy: { kind: 'asc', name: 'asc', id: 'asc' }, limit: 1000 });
	const prices = products.length ? await em.find(ProductPriceSchema, { productId: { $in: products.map((p) => p.id) } }) : [];
	return products.map((product) => toView(product, prices));
}

export async function getProduct(em: EntityManager, id: string): Promise<ProductView> {
	const product = await em.findOne(ProductSchema, { id });
	if (!product) throw notFound('That product');
	return toView(product, await em.find(ProductPriceSchema, { productId: id }));
}

/** The price of a product for one cycle and currency, or null when the catalogue has none. */
export async function findPrice(em: EntityManager, productId: string, billingCycle: BillingCycle, currency: string) {
	return em.findOne(ProductPriceSchema, { productId, billingCycle, currency });
}

async function assertNameFree(em: EntityManager, name: string, exceptId?: string) {
	const rows = await em.getConnection().execute<{ id: string }[]>('select id from product where lower(name) = lower(?)', [name]);
	if (rows.some((row) => row.id !== exceptId)) throw fieldError('name', 'Another product already has this name.');
}

function priceRows(productId: string, input: ProductInput) {
	return input.prices.map((price) => {
		const amountMinor = parseMinor(price.amount, price.currency);
		// The schema has checked every amount; this only satisfies the type.
		if (amountMinor === null) throw new AppError('BAD_REQUEST', 'An amount could not be read.');
		return { id: randomUUID(), productId, billingCycle: price.billingCycle, currency: price.currency, amountMinor };
	});
}

const auditFields = (view: ProductView) => ({
	kind: view.kind,
	name: view.name,
	taxClass: view.taxClass,
	active: view.active,
	prices: view.prices.map((price) => `${price.billingCycle} ${price.amount} ${price.currency}`)
});

export async function createProduct(em: EntityManager, actor: Actor, input: ProductInput): Promise<ProductView> {
	await assertNameFree(em, input.name);
	return mutate(em, actor, async (tx) => {
		const now = new Date();
		const product = tx.create(ProductSchema, {
			id: randomUUID(),
			kind: input.kind,
			name: input.name,
			description: input.description,
			taxClass: input.taxClass,
			active: input.active,
			createdAt: now,
			updatedAt: now
		});
		const prices = priceRows(product.id, input).map((row) => tx.create(ProductPriceSchema, row));
		const view = toView(product, prices);
		return {
			result: view,
			activity: {
				clientId: null,
				action: 'catalog.product_created',
				targetType: 'product',
				targetId: product.id,
				summary: `Added ${product.kind} "${product.name}" to the catalogue`,
				after: auditFields(view)
			},
			events: [{ event: 'catalog.changed', rooms: ['staff'], payload: { productId: product.id } }]
		};
	});
}

/** Replaces the product's fields and its whole price list; existing subscriptions keep the price they were sold at. */
export async function updateProduct(em: EntityManager, actor: Actor, input: UpdateProductInput): Promise<ProductView> {
	const before = await getProduct(em, input.id);
	await assertNameFree(em, input.name, input.id);
	return mutate(em, actor, async (tx) => {
		const product = await tx.findOneOrFail(ProductSchema, { id: input.id });
		Object.assign(product, {
			kind: input.kind,
			name: input.name,
			description: input.description,
			taxClass: input.taxClass,
			active: input.active,
			updatedAt: new Date()
		});
		await tx.nativeDelete(ProductPriceSchema, { productId: product.id });
		const prices = priceRows(product.id, input).map((row) => tx.create(ProductPriceSchema, row));
		const view = toView(product, prices);
		return {
			result: view,
			activity: {
				clientId: null,
				action: 'catalog.product_updated',
				targetType: 'product',
				targetId: product.id,
				summary: `Changed ${product.kind} "${product.name}" in the catalogue`,
				before: auditFields(before),
				after: auditFields(view)
			},
			events: [{ event: 'catalog.changed', rooms: ['staff'], payload: { productId: product.id } }]
		};
	});
}
