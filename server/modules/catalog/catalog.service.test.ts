import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { ActivitySchema } from '../activity/activity.entity';
import { productInput, type ProductInput } from './catalog.schemas';
import { createProduct, listProducts, updateProduct } from './catalog.service';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();
let staff: Actor;

beforeAll(async () => {
	staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff', name: 'Cat Alogue' }));
});

const vmInput = (name: string): ProductInput =>
	productInput.parse({
		kind: 'plan',
		name,
		taxClass: 'standard',
		prices: [
			{ billingCycle: 'monthly', currency: 'eur', amount: '12.34' },
			{ billingCycle: 'yearly', currency: 'EUR', amount: '120' },
			{ billingCycle: 'monthly', currency: 'JPY', amount: '1500' }
		]
	});

describe('catalogue', () => {
	it('stores prices in minor units of their currency and audits the change', async () => {
		const name = `VM Test ${uniqueSuffix()}`;
		const product = await createProduct(db.em(), staff, vmInput(name));
		expect(product.prices).toEqual([
			{ billingCycle: 'monthly', currency: 'EUR', amountMinor: 1234n, amount: '12.34' },
			{ billingCycle: 'monthly', currency: 'JPY', amountMinor: 1500n, amount: '1500' },
			{ billingCycle: 'yearly', currency: 'EUR', amountMinor: 12000n, amount: '120.00' }
		]);
		const listed = (await listProducts(db.em(), { kind: 'plan' })).find((row) => row.id === product.id);
		expect(listed?.prices).toHaveLength(3);
		const activity = await db.em().findOne(ActivitySchema, { targetId: product.id, action: 'catalog.product_created' });
		expect(activity?.actorName).toBe('Cat Alogue');
	});

	it('replaces the price list on edit and keeps names unique regardless of case', async () => {
		const name = `Support ${uniqueSuffix()}`;
		const product = await createProduct(db.em(), staff, { ...vmInput(name), kind: 'addon' });
		const updated = await updateProduct(db.em(), staff, {
			...productInput.parse({ kind: 'addon', name, taxClass: 'reduced', active: false, prices: [{ billingCycle: 'monthly', currency: 'GBP', amount: '9.5' }] }),
			id: product.id
		});
		expect(updated).toMatchObject({ taxClass: 'reduced', active: false, prices: [{ currency: 'GBP', amountMinor: 950n }] });
		const duplicate = await createProduct(db.em(), staff, vmInput(name.toUpperCase())).catch((error: unknown) => error);
		expect(duplicate).toBeInstanceOf(AppError);
		expect((duplicate as AppError).fieldErrors?.name).toBeDefined();
	});

	it('reports bad amounts and currencies on their fields, never through a float', () => {
		const result = productInput.safeParse({
			kind: 'plan',
			name: 'Broken',
			taxClass: 'standard',
			prices: [
				{ billingCycle: 'monthly', currency: 'EUR', amount: '1.234' },
				{ billingCycle: 'monthly', currency: 'JPY', amount: '1.5' },
				{ billingCycle: 'monthly', currency: 'XYZ', amount: '1' },
				{ billingCycle: 'yearly', currency: 'EUR', amount: '-1' },
				{ billingCycle: 'yearly', currency: 'EUR', amount: '1e3' }
			]
		});
		expect(result.success).toBe(false);
		const paths = result.error?.issues.map((issue) => issue.path.join('.'));
		expect(paths).toEqual(
			expect.arrayContaining(['prices.0.amount', 'prices.1.amount', 'prices.2.currency', 'prices.3.amount', 'prices.4.currency'])
		);
	});

	it('is a staff setting: a client user gets NOT_FOUND', async () => {
		const em = db.em();
		const client = await newClient(em, { name: `Catalogue Co ${uniqueSuffix()}` });
		const owner = await actorFor(em, await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner' }));
		const error = await callerFor(em, owner)
			.catalog.list({})
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('NOT_FOUND');
		expect((await callerFor(em, staff).catalog.list({})).products.length).toBeGreaterThan(0);
	});
});
