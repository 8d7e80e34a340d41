import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from '../../../../../server/modules/clients/profile-countries';
import type { DateFormat, Language } from '../../../../../server/modules/clients/profile.schemas';
import type { Theme } from '../../../../../server/modules/clients/client-profile.entity';

type Option<T> = { value: T; label: string };

// The lists the server accepts (profile-countries.ts, profile.schemas.ts); only their types may be imported here.
const COUNTRY_CODES = [
	'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ',
	'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ',
	'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ',
	'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR',
	'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY',
	'HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP',
	'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY',
	'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ',
	'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY',
	'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ',
	'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ',
	'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW'
] as const satisfies readonly CountryCode[];
// Type checking fails here when the server accepts a country this list lacks.
const _everyCountryListed: [Exclude<CountryCode, (typeof COUNTRY_CODES)[number]>] extends [never] ? true : never = true;

const regionNames = new Intl.DisplayNames('en', { type: 'region' });
export const countryName = (code: string | null) => (code ? (regionNames.of(code) ?? code) : '');

/** Sorted by the name people look for, not by code. */
export const COUNTRY_OPTIONS: Option<string>[] = COUNTRY_CODES.map((code) => ({ value: code, label: countryName(code) })).sort((a, b) =>
	a.label.localeCompare(b.label, 'en')
);

/** Every IANA zone the browser knows, plus the current value even if this browser lacks it. */
export function timeZoneOptions(current: string | null): string[] {
	const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
	if (current) zones.add(current);
	return [...zones].sort();
}

const DATE_PRESETS = {
	iso: { label: 'ISO', locale: 'sv-SE', options: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } },
	us: { label: 'US', locale: 'en-US', options: { year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', hour12: true } },
	eu: { label: 'European', locale: 'en-GB', options: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } },
	long: { label: 'Long', locale: 'en-GB', options: { dateStyle: 'long', timeStyle: 'short' } }
} as const satisfies Record<DateFormat, { label: string; locale: string; options: Intl.DateTimeFormatOptions }>;

export const DATE_FORMAT_VALUES = Object.keys(DATE_PRESETS) as DateFormat[];
export const dateFormatLabel = (format: string) => DATE_PRESETS[format as DateFormat]?.label ?? format;

/** `when` as the preset shows it, in `timeZone` (the browser's own zone when unset or unknown). */
export function formatWithPreset(format: string, when: Date, timeZone: string | null): string {
	const preset = DATE_PRESETS[format as DateFormat] ?? DATE_PRESETS.iso;
	try {
		return new Intl.DateTimeFormat(preset.locale, { ...preset.options, timeZone: timeZone ?? undefined }).format(when);
	} catch {
		return new Intl.DateTimeFormat(preset.locale, preset.options).format(when);
	}
}

const LANGUAGE_CODES = ['en', 'de', 'fr', 'es', 'it', 'nl'] as const satisfies readonly Language[];
const _everyLanguageListed: [Exclude<Language, (typeof LANGUAGE_CODES)[number]>] extends [never] ? true : never = true;

/** Each language in its own words, with the English name for staff who do not read it. */
export const LANGUAGE_OPTIONS: Option<Language>[] = LANGUAGE_CODES.map((code) => {
	const own = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
	const english = new Intl.DisplayNames('en', { type: 'language' }).of(code) ?? code;
	return { value: code, label: own === english ? english : `${own.charAt(0).toUpperCase()}${own.slice(1)} (${english})` };
});
export const languageLabel = (code: string) => LANGUAGE_OPTIONS.find((option) => option.value === code)?.label ?? code;

export const THEME_OPTIONS: Option<Theme>[] = [
	{ value: 'system', label: 'System (follow the device)' },
	{ value: 'light', label: 'Light' },
	{ value: 'dark', label: 'Dark' }
];
export const themeLabel = (theme: string) => THEME_OPTIONS.find((option) => option.value === theme)?.label ?? theme;

/** A stored E.164 number the way people read it ("+49 30 1234567"). */
export function formatPhone(e164: string | null): string {
	if (!e164) return '';
	return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** An address as lines, skipping the parts not given. */
export function addressLines(address: { addressLine1: string | null; addressLine2: string | null; city: string | null; region: string | null; postalCode: string | null; country: string | null }): string[] {
	const cityLine = [address.postalCode, address.city, address.region].filter(Boolean).join(' ');
	return [address.addressLine1, address.addressLine2, cityLine, countryName(address.country)].filter((line): line is string => !!line);
}
