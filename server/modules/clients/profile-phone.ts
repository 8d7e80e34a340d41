import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; message: string };

/**
 * A phone number as typed ("030 1234567", "+49 30 1234567") to E.164. A number without a
 * country prefix is read in `defaultCountry` (the address's country), so locals can type it
 * the way they say it.
 */
export function checkPhone(raw: string, defaultCountry: string | null): PhoneCheck {
	const text = raw.trim();
	if (!text.startsWith('+') && !defaultCountry) {
		return { ok: false, message: 'Start with + and the country code, or choose a country first.' };
	}
	const parsed = parsePhoneNumberFromString(text, (defaultCountry ?? undefined) as CountryCode | undefined);
	if (!parsed || !parsed.isValid()) {
		return { ok: false, message: 'Enter a valid phone number, e.g. +44 20 7946 0958.' };
	}
	return { ok: true, e164: parsed.number };
}
