import type { CreateClientInput } from '../../../../server/modules/clients/client.schemas';

type Option<T> = { value: T; label: string };

export const CLIENT_TYPE_OPTIONS: Option<CreateClientInput['type']>[] = [
	{ value: 'organization', label: 'Organization' },
	{ value: 'individual', label: 'Individual' }
];

export const BILLING_TYPE_OPTIONS: Option<CreateClientInput['billingType']>[] = [
	{ value: 'prepaid', label: 'Prepaid (credits)' },
	{ value: 'postpaid', label: 'Postpaid (invoiced)' },
	{ value: 'manual', label: 'Manual' }
];

const currencyNames = new Intl.DisplayNames('en', { type: 'currency' });
type Currency = CreateClientInput['currency'];

// The list the server accepts (CURRENCIES in client.schemas.ts); only its type may be imported here.
const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'INR', 'BRL'] as const satisfies readonly Currency[];
// Type checking fails here when the server accepts a currency this list lacks.
const _everyCurrencyListed: [Exclude<Currency, (typeof CURRENCY_CODES)[number]>] extends [never] ? true : never = true;

export const CURRENCY_OPTIONS: Option<Currency>[] = CURRENCY_CODES.map((code) => ({
	value: code,
	label: `${code} — ${currencyNames.of(code) ?? code}`
}));
