import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const DISCIPLINARY_TYPES = ['warning', 'restriction', 'suspension', 'termination'] as const;
export const REASON_CATEGORIES = ['abuse', 'fraud', 'non_payment', 'spam', 'tos'] as const;
export const DISCIPLINARY_STATUSES = ['scheduled', 'active', 'lifted', 'expired'] as const;

export type DisciplinaryType = (typeof DISCIPLINARY_TYPES)[number];
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
export type DisciplinaryStatus = (typeof DISCIPLINARY_STATUSES)[number];

/** One action against a client for a policy breach; kept forever (lifting only closes it). */
export const DisciplinaryActionSchema = defineEntity({
	name: 'DisciplinaryAction',
	tableName: 'disciplinary_action',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		clientId: p.uuid(),
		type: p.enum(DISCIPLINARY_TYPES),
		noNewResources: p.boolean().default(false),
		noSubuserLogins: p.boolean().default(false),
		noApi: p.boolean().default(false),
		reasonCategory: p.enum(REASON_CATEGORIES),
		reason: p.text(),
		/** Internal: staff only, never sent to the client's users or rooms. */
		evidenceNote: p.text().nullable(),
		startsAt: p.datetime(),
		endsAt: p.datetime().nullable(),
		/** A non-payment suspension, lifted by billing once the overdue balance is paid. */
		liftsOnPayment: p.boolean().default(false),
		status: p.enum(DISCIPLINARY_STATUSES),
		actedByUserId: p.uuid().nullable(),
		actedByName: p.string().length(200),
		createdAt: p.datetime().onCreate(() => new Date()),
		liftedAt: p.datetime().nullable(),
		liftedByUserId: p.uuid().nullable(),
		liftedByName: p.string().length(200).nullable(),
		liftReason: p.text().nullable(),
		/** When its end date took it out of force (status `expired`). */
		endedAt: p.datetime().nullable()
	}
});

export type DisciplinaryAction = InferEntity<typeof DisciplinaryActionSchema>;
