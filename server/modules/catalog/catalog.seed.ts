import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor';
import { seedTaxRates } from '../billing/tax';
import type { BillingCycle } from './catalog.entity';
import { productInput, type ProductInput } from './catalog.schemas';
import { createProduct } from './catalog.service';

type Prices = Partial<Record<BillingCycle, Record<'EUR' | 'USD' | 'GBP', string>>>;

const product = (kind: ProductInput['kind'], name: string, description: string, taxClass: ProductInput['taxClass'], prices: Prices): ProductInput =>
	productInput.parse({
		kind,
		name,
		description,
		taxClass,
		prices: Object.entries(prices).flatMap(([billingCycle, amounts]) =>
			Object.entries(amounts).map(([currency, amount]) => ({ billingCycle, currency, amount }))
		)
	});

/** A yearly price is ten months' worth: two months free for paying ahead. */
const vm = (name: string, monthly: Record<'EUR' | 'USD' | 'GBP', string>, yearly: Record<'EUR' | 'USD' | 'GBP', string>) =>
	product('plan', name, 'Virtual machine', 'standard', { monthly, yearly });

export const DEMO_PRODUCTS: ProductInput[] = [
	vm('VM Small', { EUR: '9.00', USD: '10.00', GBP: '8.00' }, { EUR: '90.00', USD: '100.00', GBP: '80.00' }),
	vm('VM Medium', { EUR: '19.00', USD: '21.00', GBP: '17.00' }, { EUR: '190.00', USD: '210.00', GBP: '170.00' }),
	vm('VM Large', { EUR: '39.00', USD: '43.00', GBP: '34.00' }, { EUR: '390.00', USD: '430.00', GBP: '340.00' }),
	product('plan', 'Object storage', 'Per GB-hour stored', 'standard', { hourly: { EUR: '0.01', USD: '0.01', GBP: '0.01' } }),
	product('addon', 'Premium support', '24/7 response within one hour', 'standard', {
		monthly: { EUR: '49.00', USD: '55.00', GBP: '43.00' },
		yearly: { EUR: '490.00', USD: '550.00', GBP: '430.00' }
	}),
	product('licence', 'Windows Server licence', 'Per virtual machine', 'standard', { monthly: { EUR: '15.00', USD: '17.00', GBP: '13.00' } })
];

/** The demo catalogue and the seeded EU tax rates. */
export async function seedCatalog(em: EntityManager, actor: Actor): Promise<void> {
	await seedTaxRates(em);
	for (const input of DEMO_PRODUCTS) await createProduct(em, actor, input);
}
