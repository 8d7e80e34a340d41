/** Form choices, in the words staff use; the server answers with its own labels for stored rows. */
export const TYPE_OPTIONS = [
	{ value: 'warning', label: 'Warning' },
	{ value: 'restriction', label: 'Restriction' },
	{ value: 'suspension', label: 'Suspension' },
	{ value: 'termination', label: 'Termination' }
] as const;

export const CATEGORY_OPTIONS = [
	{ value: 'abuse', label: 'Abuse' },
	{ value: 'fraud', label: 'Fraud' },
	{ value: 'non_payment', label: 'Non-payment' },
	{ value: 'spam', label: 'Spam' },
	{ value: 'tos', label: 'Terms of Service breach' }
] as const;

export const FLAG_OPTIONS = [
	{ key: 'noNewResources', label: 'No new resources' },
	{ key: 'noSubuserLogins', label: 'No sub-user sign-ins' },
	{ key: 'noApi', label: 'No API access' }
] as const;

export const STATUS_PRESETS: Record<string, string> = {
	active: 'preset-filled-warning-500',
	scheduled: 'preset-tonal-secondary',
	lifted: 'preset-tonal-success',
	expired: 'preset-tonal'
};
