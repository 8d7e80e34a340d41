import { z } from 'zod';
import { COUNTRY_CODES } from './profile-countries';
import { THEMES } from './client-profile.entity';

/** Date/time presets; the page renders a live example of each through Intl. */
export const DATE_FORMATS = ['iso', 'us', 'eu', 'long'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

const COUNTRIES: ReadonlySet<string> = new Set(COUNTRY_CODES);

/** Any IANA zone this runtime knows (UTC is listed apart from the others in some ICU builds). */
export function isTimeZone(value: string): boolean {
	if (value === 'UTC') return true;
	return Intl.supportedValuesOf('timeZone').includes(value);
}

/** Optional text: trimmed, and empty means "not given" (stored as null). */
export const optionalText = (max: number, tooLong: string) =>
	z
		.string()
		.trim()
		.max(max, tooLong)
		.transform((value) => value || null);

export const optionalCountry = z
	.string()
	.trim()
	.refine((value) => value === '' || COUNTRIES.has(value), 'Choose a country from the list.')
	.transform((value) => value || null);

export const addressFields = {
	addressLine1: optionalText(200, 'Keep the address line under 200 characters.'),
	addressLine2: optionalText(200, 'Keep the address line under 200 characters.'),
	city: optionalText(120, 'Keep the city under 120 characters.'),
	region: optionalText(120, 'Keep the region under 120 characters.'),
	postalCode: optionalText(20, 'Keep the postal code under 20 characters.'),
	country: optionalCountry
};

export const profileInput = z.object({ clientId: z.uuid() });

export const updateProfileInput = z.object({
	clientId: z.uuid(),
	name: z.string().trim().min(2, 'Name needs at least 2 characters.').max(200, 'Keep the name under 200 characters.'),
	/** As typed; the service parses it with the country as default region and stores E.164. */
	phone: optionalText(40, 'Enter a valid phone number, e.g. +44 20 7946 0958.'),
	...addressFields,
	timeZone: z
		.string()
		.trim()
		.refine((value) => value === '' || isTimeZone(value), 'Choose a time zone from the list.')
		.transform((value) => value || null),
	dateFormat: z.enum(DATE_FORMATS, 'Choose a date format from the list.'),
	language: z.enum(LANGUAGES, 'Choose a language from the list.'),
	theme: z.enum(THEMES, 'Choose light, dark or system.')
});
export type UpdateProfileInput = z.input<typeof updateProfileInput>;
export type UpdateProfileValues = z.output<typeof updateProfileInput>;

export const requestEmailChangeInput = z.object({
	clientId: z.uuid(),
	email: z.email('Enter a valid email address.').max(320, 'Keep the email under 320 characters.')
});
export type RequestEmailChangeInput = z.infer<typeof requestEmailChangeInput>;

export const confirmEmailChangeInput = z.object({
	clientId: z.uuid(),
	code: z.string().trim().min(4, 'Enter the code from the email.').max(12, 'Enter the code from the email.')
});
export type ConfirmEmailChangeInput = z.infer<typeof confirmEmailChangeInput>;
