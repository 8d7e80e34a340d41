import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema, type Client } from '../clients/client.entity';
import { toClientHeader } from '../clients/client.service';
import { UserSchema } from '../access/user.entity';
import { RoleSchema } from '../access/role.entity';
import { SessionSchema } from '../access/session.entity';
import { SYSTEM_ROOM } from '../../realtime/room-access';
import type { OutboxEvent } from '../../realtime/outbox-writer';
import type { ActivityEntry } from '../../db/mutation';
import { DisciplinaryActionSchema, type DisciplinaryAction } from './disciplinary-action.entity';
import { CATEGORY_LABELS, TYPE_LABELS } from './disciplinary-labels';

export interface Effects {
	events: OutboxEvent[];
	activity: ActivityEntry[];
}

const clientChanged = (client: Client): OutboxEvent[] => [
	{ event: 'client.updated', rooms: [`client:${client.id}`, 'staff'], payload: { client: toClientHeader(client) } },
	// Open sockets of the client's users are checked again (terminated or signed-out users lose them).
	{ event: 'access.changed', rooms: [SYSTEM_ROOM], payload: { clientId: client.id } }
];

function statusActivity(client: Client, before: { status: string; statusReason: string | null }, why: string): ActivityEntry {
	return {
		clientId: client.id,
		action: 'client.status_changed',
		targetType: 'client',
		targetId: client.id,
		summary: `Changed status from ${before.status} to ${client.status}: ${why}`,
		before,
		after: { status: client.status, statusReason: client.statusReason ?? null }
	};
}

/** Ends the sub-users' own sessions (not staff signed in as them): their sign-in is now forbidden. */
async function endSubuserSessions(tx: EntityManager, clientId: string): Promise<number> {
	const owner = await tx.findOneOrFail(RoleSchema, { builtInKey: 'owner' }, { fields: ['id'] });
	const subusers = await tx.find(UserSchema, { clientId, roleId: { $ne: owner.id } }, { fields: ['id'] });
	if (!subusers.length) return 0;
	return tx.nativeDelete(SessionSchema, { userId: { $in: subusers.map((user) => user.id) }, impersonatorUserId: null });
}

/** What an action does the moment it comes into force. */
export async function applyStart(tx: EntityManager, action: DisciplinaryAction): Promise<Effects> {
	const effects: Effects = { events: [], activity: [] };
	const client = await tx.findOneOrFail(ClientSchema, { id: action.clientId });
	const before = { status: client.status, statusReason: client.statusReason ?? null };
	const why = `${TYPE_LABELS[action.type]} (${CATEGORY_LABELS[action.reasonCategory]}): ${action.reason}`;
	if (action.type === 'termination' && client.status !== 'terminated') {
		client.status = 'terminated';
		client.statusReason = why;
	} else if (action.type === 'suspension' && client.status === 'active') {
		// A blocked client stays blocked: the stronger staff status is not overwritten, nor restored on lift.
		client.status = 'suspended';
		client.statusReason = why;
	}
	if (client.status !== before.status) {
		effects.activity.push(statusActivity(client, before, why));
		effects.events.push(...clientChanged(client));
	}
	if (action.type === 'restriction' && action.noSubuserLogins && (await endSubuserSessions(tx, client.id)) > 0) {
		effects.events.push({ event: 'access.changed', rooms: [SYSTEM_ROOM], payload: { clientId: client.id } });
	}
	return effects;
}

/** What ending an action in force undoes: a suspension gives the account back unless another one holds it. */
export async function applyEnd(tx: EntityManager, action: DisciplinaryAction, now: Date): Promise<Effects> {
	const effects: Effects = { events: [], activity: [] };
	if (action.type !== 'suspension') return effects;
	const client = await tx.findOneOrFail(ClientSchema, { id: action.clientId });
	if (client.status !== 'suspended') return effects;
	const otherSuspensions = await tx.count(DisciplinaryActionSchema, {
		clientId: client.id,
		id: { $ne: action.id },
		type: 'suspension',
		status: { $in: ['scheduled', 'active'] },
		startsAt: { $lte: now },
		$or: [{ endsAt: null }, { endsAt: { $gt: now } }]
	});
	if (otherSuspensions > 0) return effects;
	const before = { status: client.status, statusReason: client.statusReason ?? null };
	client.status = 'active';
	client.statusReason = null;
	effects.activity.push(statusActivity(client, before, `${describeEnd(action)}`));
	effects.events.push(...clientChanged(client));
	return effects;
}

const describeEnd = (action: DisciplinaryAction) =>
	action.status === 'lifted' ? `suspension lifted: ${action.liftReason ?? ''}`.trim() : 'suspension ended on its end date';
