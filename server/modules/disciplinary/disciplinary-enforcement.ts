import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors';
import { ClientSchema } from '../clients/client.entity';
import { DisciplinaryActionSchema, type DisciplinaryAction } from './disciplinary-action.entity';
import { describeAction } from './disciplinary-labels';

export interface ActiveRestrictions {
	noNewResources: boolean;
	noSubuserLogins: boolean;
	noApi: boolean;
	suspended: boolean;
	terminated: boolean;
}

export type RestrictedAction = 'new_resource' | 'subuser_login' | 'api';

/**
 * Actions in force at `now`: not lifted or expired, started, and not past their end. Read from
 * the dates rather than the stored status alone, so enforcement is exact even in the seconds
 * before the job that flips the status has run.
 */
export function actionsInForce(em: EntityManager, clientId: string, now = new Date()): Promise<DisciplinaryAction[]> {
	return em.find(
		DisciplinaryActionSchema,
		{
			clientId,
			status: { $in: ['scheduled', 'active'] },
			startsAt: { $lte: now },
			$or: [{ endsAt: null }, { endsAt: { $gt: now } }]
		},
		{ orderBy: { startsAt: 'asc', id: 'asc' } }
	);
}

/** What the client may not do right now, from its disciplinary actions and its status. */
export async function activeRestrictions(em: EntityManager, clientId: string): Promise<ActiveRestrictions> {
	const [actions, client] = await Promise.all([
		actionsInForce(em.fork(), clientId),
		em.fork().findOne(ClientSchema, { id: clientId }, { fields: ['status'] })
	]);
	return {
		noNewResources: actions.some((action) => action.noNewResources),
		noSubuserLogins: actions.some((action) => action.noSubuserLogins),
		noApi: actions.some((action) => action.noApi),
		suspended: client?.status === 'suspended' || actions.some((action) => action.type === 'suspension'),
		terminated: client?.status === 'terminated' || actions.some((action) => action.type === 'termination')
	};
}

const ACTION_WORDS: Record<RestrictedAction, string> = {
	new_resource: 'New resources cannot be created',
	subuser_login: 'Sub-users cannot sign in',
	api: 'The API cannot be used'
};

/** Which action kinds a suspension or termination also stops (sub-users may still sign in while suspended, to see why). */
const STOPPED_BY_SUSPENSION: Record<RestrictedAction, boolean> = { new_resource: true, subuser_login: false, api: true };

/**
 * Throws CONFLICT naming the disciplinary action that forbids `action` for this client. Every
 * service that creates resources, signs in sub-users or serves the API calls this.
 */
export async function assertAllowed(em: EntityManager, clientId: string, action: RestrictedAction): Promise<void> {
	const [actions, client] = await Promise.all([
		actionsInForce(em.fork(), clientId),
		em.fork().findOne(ClientSchema, { id: clientId }, { fields: ['status'] })
	]);
	const words = ACTION_WORDS[action];
	const termination = actions.find((each) => each.type === 'termination');
	if (termination) throw new AppError('CONFLICT', `${words}: ${describeAction(termination)} closed this account.`);
	if (client?.status === 'terminated') throw new AppError('CONFLICT', `${words}: this account is terminated.`);
	const forbidding = actions.find(
		(each) =>
			(each.type === 'restriction' &&
				((action === 'new_resource' && each.noNewResources) ||
					(action === 'subuser_login' && each.noSubuserLogins) ||
					(action === 'api' && each.noApi))) ||
			(each.type === 'suspension' && STOPPED_BY_SUSPENSION[action])
	);
	if (forbidding) throw new AppError('CONFLICT', `${words} while ${describeAction(forbidding)} is in force.`);
	if (client?.status === 'suspended' && STOPPED_BY_SUSPENSION[action]) {
		throw new AppError('CONFLICT', `${words} while this account is suspended.`);
	}
}
