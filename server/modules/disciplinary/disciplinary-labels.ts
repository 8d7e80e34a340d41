import type { DisciplinaryAction, DisciplinaryType, ReasonCategory } from './disciplinary-action.entity';

export const TYPE_LABELS: Record<DisciplinaryType, string> = {
	warning: 'Warning',
	restriction: 'Restriction',
	suspension: 'Suspension',
	termination: 'Termination'
};

export const CATEGORY_LABELS: Record<ReasonCategory, string> = {
	abuse: 'Abuse',
	fraud: 'Fraud',
	non_payment: 'Non-payment',
	spam: 'Spam',
	tos: 'Terms of Service breach'
};

const day = (date: Date) => date.toISOString().slice(0, 10);

/** "the restriction of 2026-11-25 (Abuse)": how errors and audit rows name an action. */
export function describeAction(action: Pick<DisciplinaryAction, 'type' | 'startsAt' | 'reasonCategory'>): string {
	return `the ${action.type} of ${day(action.startsAt)} (${CATEGORY_LABELS[action.reasonCategory]})`;
}

/** What a restriction forbids, in words. */
export function restrictionFlags(action: Pick<DisciplinaryAction, 'noNewResources' | 'noSubuserLogins' | 'noApi'>): string[] {
	return [
		action.noNewResources ? 'no new resources' : null,
		action.noSubuserLogins ? 'no sub-user sign-ins' : null,
		action.noApi ? 'no API access' : null
	].filter((flag): flag is string => flag !== null);
}
