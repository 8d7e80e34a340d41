import type { Actor } from '../../auth/actor';
import type { DisciplinaryAction } from './disciplinary-action.entity';
import { CATEGORY_LABELS, TYPE_LABELS, restrictionFlags } from './disciplinary-labels';

export interface DisciplinaryActionView {
	id: string;
	type: DisciplinaryAction['type'];
	typeLabel: string;
	noNewResources: boolean;
	noSubuserLogins: boolean;
	noApi: boolean;
	flags: string[];
	reasonCategory: DisciplinaryAction['reasonCategory'];
	categoryLabel: string;
	reason: string;
	/** Present for staff only: the client's users never receive it. */
	evidenceNote?: string | null;
	startsAt: Date;
	endsAt: Date | null;
	liftsOnPayment: boolean;
	status: DisciplinaryAction['status'];
	actedByName: string;
	createdAt: Date;
	liftedAt: Date | null;
	liftedByName: string | null;
	liftReason: string | null;
	endedAt: Date | null;
}

export function toActionView(action: DisciplinaryAction, actor: Actor): DisciplinaryActionView {
	const view: DisciplinaryActionView = {
		id: action.id,
		type: action.type,
		typeLabel: TYPE_LABELS[action.type],
		noNewResources: action.noNewResources,
		noSubuserLogins: action.noSubuserLogins,
		noApi: action.noApi,
		flags: restrictionFlags(action),
		reasonCategory: action.reasonCategory,
		categoryLabel: CATEGORY_LABELS[action.reasonCategory],
		reason: action.reason,
		startsAt: action.startsAt,
		endsAt: action.endsAt ?? null,
		liftsOnPayment: action.liftsOnPayment,
		status: action.status,
		actedByName: action.actedByName,
		createdAt: action.createdAt,
		liftedAt: action.liftedAt ?? null,
		liftedByName: action.liftedByName ?? null,
		liftReason: action.liftReason ?? null,
		endedAt: action.endedAt ?? null
	};
	if (actor.kind === 'staff' || actor.kind === 'system') view.evidenceNote = action.evidenceNote ?? null;
	return view;
}

/** What the banner on every tab shows: actions in force that limit the account (warnings are not banners). */
export interface DisciplinaryBannerItem {
	id: string;
	type: 'restriction' | 'suspension' | 'termination';
	typeLabel: string;
	flags: string[];
	categoryLabel: string;
	reason: string;
	startsAt: Date;
	endsAt: Date | null;
	liftsOnPayment: boolean;
}

export function toBannerItem(action: DisciplinaryAction): DisciplinaryBannerItem | null {
	if (action.type === 'warning') return null;
	return {
		id: action.id,
		type: action.type,
		typeLabel: TYPE_LABELS[action.type],
		flags: restrictionFlags(action),
		categoryLabel: CATEGORY_LABELS[action.reasonCategory],
		reason: action.reason,
		startsAt: action.startsAt,
		endsAt: action.endsAt ?? null,
		liftsOnPayment: action.liftsOnPayment
	};
}
