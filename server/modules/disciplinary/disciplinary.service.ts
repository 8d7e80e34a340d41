import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { mutate, type ActivityEntry } from '../../db/mutation';
import { AppError, fieldError, notFound } from '../../errors';
import { systemActor, type Actor } from '../../auth/actor';
import { getClient } from '../clients/client.service';
import { scheduleJob } from '../../jobs/scheduler';
import type { OutboxEvent } from '../../realtime/outbox-writer';
import { DisciplinaryActionSchema, type DisciplinaryAction } from './disciplinary-action.entity';
import type { CreateDisciplinaryInput, LiftDisciplinaryInput } from './disciplinary.schemas';
import { applyEnd, applyStart } from './disciplinary-effects';
import { actionsInForce } from './disciplinary-enforcement';
import { describeAction, restrictionFlags, TYPE_LABELS, CATEGORY_LABELS } from './disciplinary-labels';
import { toActionView, toBannerItem, type DisciplinaryBannerItem } from './disciplinary-views';

/** The job that moves an action from scheduled to active and from active to expired. */
export const DISCIPLINARY_TRANSITION_JOB = 'disciplinary-transition';

/** A start picked in a form is a whole minute: a little in the past still means "now". */
const START_GRACE_MS = 5 * 60 * 1000;

/**
 * Tells every viewer of the client's workspace to refresh its banner and history. Only ids and
 * the status travel: the evidence note is staff-only and this room is the client's.
 */
const changedEvent = (action: DisciplinaryAction): OutboxEvent => ({
	event: 'disciplinary.changed',
	rooms: [`client:${action.clientId}`],
	payload: { clientId: action.clientId, actionId: action.id, type: action.type, status: action.status }
});

/** The public audit fields of an action (the evidence note has its own staff-only row). */
const auditFields = (action: DisciplinaryAction) => ({
	type: action.type,
	flags: restrictionFlags(action),
	reasonCategory: action.reasonCategory,
	reason: action.reason,
	startsAt: action.startsAt.toISOString(),
	endsAt: action.endsAt?.toISOString() ?? null,
	status: action.status,
	liftsOnPayment: action.liftsOnPayment
});

export async function listDisciplinaryActions(em: EntityManager, actor: Actor, clientId: string) {
	const rows = await em.find(DisciplinaryActionSchema, { clientId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 500 });
	return rows.map((row) => toActionView(row, actor));
}

/** Restrictions, suspensions and terminations in force: the banner every tab of the client shows. */
export async function disciplinaryBanner(em: EntityManager, clientId: string): Promise<DisciplinaryBannerItem[]> {
	const rows = await actionsInForce(em, clientId);
	return rows.map(toBannerItem).filter((item): item is DisciplinaryBannerItem => item !== null);
}

export async function createDisciplinaryAction(em: EntityManager, actor: Actor, input: CreateDisciplinaryInput) {
	const client = await getClient(em, actor, input.clientId);
	if (client.status === 'terminated') throw new AppError('CONFLICT', 'This client is terminated: no further action can be taken.');
	if (input.type === 'termination' && input.confirmName !== client.name) {
		throw fieldError('confirmName', `Type the client's name, ${client.name}, to confirm the termination.`);
	}
	const now = new Date();
	if (input.startsAt && input.startsAt.getTime() < now.getTime() - START_GRACE_MS) {
		throw fieldError('startsAt', 'The start cannot be in the past: leave it empty to start now.');
	}
	if (input.endsAt && input.endsAt.getTime() <= now.getTime()) throw fieldError('endsAt', 'The end must be in the future.');
	const startsAt = input.startsAt && input.startsAt > now ? input.startsAt : now;

	return mutate(em, actor, async (tx) => {
		const action = tx.create(DisciplinaryActionSchema, {
			id: randomUUID(),
			clientId: client.id,
			type: input.type,
			noNewResources: input.type === 'restriction' && input.noNewResources,
			noSubuserLogins: input.type === 'restriction' && input.noSubuserLogins,
			noApi: input.type === 'restriction' && input.noApi,
			reasonCategory: input.reasonCategory,
			reason: input.reason,
			evidenceNote: input.evidenceNote || null,
			startsAt,
			endsAt: input.endsAt ?? null,
			liftsOnPayment: input.type === 'suspension' && input.reasonCategory === 'non_payment',
			status: startsAt > now ? 'scheduled' : 'active',
			actedByUserId: actor.userId,
			actedByName: actor.name,
			createdAt: now
		});
		const effects = action.status === 'active' ? await applyStart(tx, action) : { events: [], activity: [] };
		// Queued in this transaction: the job exists exactly when the action does (see scheduleJob).
		if (action.status === 'scheduled') {
			await scheduleJob(DISCIPLINARY_TRANSITION_JOB, { version: 1, actionId: action.id, transition: 'start' }, {
				startAfter: action.startsAt,
				singletonKey: `${action.id}:start`,
				tx
			});
		}
		if (action.endsAt) {
			await scheduleJob(DISCIPLINARY_TRANSITION_JOB, { version: 1, actionId: action.id, transition: 'end' }, {
				startAfter: action.endsAt,
				singletonKey: `${action.id}:end`,
				tx
			});
		}
		const activity: ActivityEntry[] = [
			{
				clientId: client.id,
				action: 'disciplinary.created',
				targetType: 'disciplinary_action',
				targetId: action.id,
				summary: `${action.status === 'scheduled' ? 'Scheduled' : 'Applied'} ${describeAction(action)}: ${action.reason}`,
				after: auditFields(action)
			}
		];
		if (action.evidenceNote) {
			activity.push({
				clientId: client.id,
				action: 'disciplinary.evidence_recorded',
				targetType: 'disciplinary_action',
				targetId: action.id,
				summary: `Evidence note recorded for ${describeAction(action)}`,
				after: { evidenceNote: action.evidenceNote },
				staffOnly: true
			});
		}
		return {
			result: toActionView(action, actor),
			activity: [...activity, ...effects.activity],
			events: [changedEvent(action), ...effects.events]
		};
	});
}

async function lockAction(tx: EntityManager, clientId: string, actionId: string): Promise<DisciplinaryAction> {
	const action = await tx.findOne(DisciplinaryActionSchema, { id: actionId, clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
	if (!action) throw notFound('That disciplinary action');
	return action;
}

/** Lifts an action early, with a reason. A termination in force is permanent. */
export async function liftDisciplinaryAction(em: EntityManager, actor: Actor, input: LiftDisciplinaryInput) {
	await getClient(em, actor, input.clientId);
	return mutate(em, actor, async (tx) => {
		const action = await lockAction(tx, input.clientId, input.actionId);
		if (action.status === 'lifted' || action.status === 'expired') {
			throw new AppError('CONFLICT', `This ${action.type} has already ${action.status === 'lifted' ? 'been lifted' : 'ended'}.`);
		}
		const now = new Date();
		const wasActive = action.status === 'active';
		if (action.type === 'termination' && (wasActive || action.startsAt <= now)) {
			throw new AppError('CONFLICT', 'A termination is permanent and cannot be lifted.');
		}
		const before = { status: action.status };
		action.status = 'lifted';
		action.liftedAt = now;
		action.liftedByUserId = actor.userId;
		action.liftedByName = actor.name;
		action.liftReason = input.reason;
		const effects = wasActive ? await applyEnd(tx, action, now) : { events: [], activity: [] };
		return {
			result: toActionView(action, actor),
			activity: [
				{
					clientId: action.clientId,
					action: 'disciplinary.lifted',
					targetType: 'disciplinary_action',
					targetId: action.id,
					summary: `Lifted ${describeAction(action)}: ${input.reason}`,
					before,
					after: { status: 'lifted', liftReason: input.reason }
				},
				...effects.activity
			],
			events: [changedEvent(action), ...effects.events]
		};
	});
}

/**
 * For billing: once the overdue balance is paid, every non-payment suspension of the client
 * (in force or still waiting to start) is lifted. Returns how many were lifted.
 */
export async function liftNonPaymentSuspensions(em: EntityManager, clientId: string, actor: Actor): Promise<number> {
	const open = await em.fork().find(DisciplinaryActionSchema, {
		clientId,
		type: 'suspension',
		liftsOnPayment: true,
		status: { $in: ['scheduled', 'active'] }
	});
	let lifted = 0;
	for (const action of open) {
		try {
			await liftDisciplinaryAction(em, actor, { clientId, actionId: action.id, reason: 'The overdue balance was paid.' });
			lifted++;
		} catch (error) {
			// Lifted or expired meanwhile by someone else: nothing left to do for this one.
			if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
		}
	}
	return lifted;
}

export type TransitionOutcome = 'activated' | 'expired' | 'activated_and_expired' | 'unchanged';

/**
 * Brings one action's status in line with its dates: scheduled -> active at its start, and
 * -> expired at its end. The job behind both; safe to run any number of times (a second run
 * finds nothing to do and writes nothing). Throws when `transition` is not due yet, so pg-boss
 * retries a job that ran early rather than dropping it.
 */
export async function syncDisciplinaryAction(em: EntityManager, actionId: string, transition: 'start' | 'end'): Promise<TransitionOutcome> {
	const actor = systemActor('Scheduled job');
	return mutate(em, actor, async (tx) => {
		const action = await tx.findOne(DisciplinaryActionSchema, { id: actionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
		const unchanged = { result: 'unchanged' as TransitionOutcome, activity: [] };
		if (!action || action.status === 'lifted' || action.status === 'expired') return unchanged;
		const now = new Date();
		const due = transition === 'start' ? action.startsAt : action.endsAt;
		if (due && due > now) throw new Error(`The ${transition} of disciplinary action ${action.id} is not due until ${due.toISOString()}.`);

		const activity: ActivityEntry[] = [];
		const events: OutboxEvent[] = [];
		let outcome: TransitionOutcome = 'unchanged';
		const label = `${TYPE_LABELS[action.type].toLowerCase()} (${CATEGORY_LABELS[action.reasonCategory]})`;
		if (action.status === 'scheduled' && action.startsAt <= now && !(action.endsAt && action.endsAt <= now)) {
			action.status = 'active';
			const effects = await applyStart(tx, action);
			activity.push(
				{
					clientId: action.clientId,
					action: 'disciplinary.started',
					targetType: 'disciplinary_action',
					targetId: action.id,
					summary: `The scheduled ${label} came into force`,
					before: { status: 'scheduled' },
					after: { status: 'active' }
				},
				...effects.activity
			);
			events.push(...effects.events);
			outcome = 'activated';
		}
		if (action.endsAt && action.endsAt <= now) {
			const wasActive = action.status === 'active';
			const before = { status: action.status };
			action.status = 'expired';
			action.endedAt = now;
			const effects = wasActive ? await applyEnd(tx, action, now) : { events: [], activity: [] };
			activity.push(
				{
					clientId: action.clientId,
					action: 'disciplinary.expired',
					targetType: 'disciplinary_action',
					targetId: action.id,
					summary: `The ${label} ended on its end date`,
					before,
					after: { status: 'expired' }
				},
				...effects.activity
			);
			events.push(...effects.events);
			outcome = outcome === 'activated' ? 'activated_and_expired' : 'expired';
		}
		if (outcome === 'unchanged') return unchanged;
		return { result: outcome, activity, events: [changedEvent(action), ...events] };
	});
}
