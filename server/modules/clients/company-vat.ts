import { checkVAT, countries } from 'jsvat-next';
import { EU_COUNTRIES } from './profile-countries';

export type VatCheck = { ok: true; value: string } | { ok: false; message: string };

/** Greece writes its VAT prefix EL (jsvat-next expects that too). */
const VAT_PREFIX: Record<string, string> = { GR: 'EL' };

/** Countries whose VAT format and checksum jsvat-next knows, by ISO code. */
const CHECKED = new Map(countries.map((country) => [country.codes[0], country]));

const GENERIC_TAX_ID = /^[A-Z0-9]{4,20}$/;

/**
 * A VAT id as typed ("de 136 695 976", "136695976") for a company in `country`: separators
 * dropped, the country prefix added when missing. Where the validator knows the country, the
 * format and check digits must match it; elsewhere a plain tax id of 4–20 letters and digits.
 */
export function checkVatId(raw: string, country: string | null): VatCheck {
	let value = raw.toUpperCase().replace(/[\s.\-/]/g, '');
	if (!country) return { ok: false, message: 'Choose the billing country first: VAT ids are checked per country.' };
	const known = CHECKED.get(country);
	if (!known) {
		return GENERIC_TAX_ID.test(value) ? { ok: true, value } : { ok: false, message: 'Enter 4 to 20 letters and digits.' };
	}
	const prefix = VAT_PREFIX[country] ?? country;
	if (!value.startsWith(prefix) && !(country === 'GB' && value.startsWith('XI'))) value = prefix + value;
	const result = checkVAT(value, [known]);
	if (!result.isValidFormat) return { ok: false, message: `This is not a ${result.country?.name ?? countryName(country)} VAT id format.` };
	if (!result.isValid) return { ok: false, message: 'This VAT id fails its check digits: check for a typo.' };
	return { ok: true, value };
}

export const isEuCountry = (country: string | null) => !!country && EU_COUNTRIES.has(country);

function countryName(code: string): string {
	return new Intl.DisplayNames('en', { type: 'region' }).of(code) ?? code;
}
