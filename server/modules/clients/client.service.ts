import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { ClientSchema, type Client } from './client.entity';
import { UserSchema } from '../access/user.entity';
import { RoleSchema } from '../access/role.entity';
import { mutate, diffFields } from '../../db/mutation';
import { AppError, fieldError, notFound } from '../../errors';
import { canReachClient, type Actor } from '../../auth/actor';
import type { CreateClientInput, ListClientsInput, SetClientStatusInput } from './client.schemas';
import { listClientsPage } from './client.repository';
import { issuePasswordToken } from '../access/password-token.service';
import { deliverMail, recordMail } from '../mail/mail.service';
import { renderWelcomeMail, WELCOME_TEMPLATE } from '../mail/welcome.template';
import type { Mailer } from '../mail/mailer';
import { SYSTEM_ROOM } from '../../realtime/room-access';

export interface ClientHeader {
	id: string;
	name: string;
	email: string;
	company: string | null;
	type: string;
	billingType: string;
	currency: string;
	status: string;
	statusReason: string | null;
	createdAt: Date;
}

export function toClientHeader(client: Client): ClientHeader {
	return {
		id: client.id,
		name: client.name,
		email: client.email,
		company: client.company ?? null,
		type: client.type,
		billingType: client.billingType,
		currency: client.currency.trim(),
		status: client.status,
		statusReason: client.statusReason ?? null,
		createdAt: client.createdAt
	};
}

export function listClients(em: EntityManager, input: ListClientsInput) {
	return listClientsPage(em, input);
}

export async function getClient(em: EntityManager, actor: Actor, clientId: string): Promise<Client> {
	if (!canReachClient(actor, clientId)) throw notFound('That client');
	const client = await em.findOne(ClientSchema, { id: clientId });
	if (!client) throw notFound('That client');
	return client;
}

export interface CreateClientOptions {
	/** Needed when `input.sendWelcome` is set. */
	mailer?: Mailer;
}

/**
 * Creates the client and its owner user (no password yet: they set it from the welcome link).
 * With `sendWelcome`, the owner's link token and the mail are recorded in the same transaction,
 * and the mail is sent only after it commits.
 */
export async function createClient(em: EntityManager, actor: Actor, input: CreateClientInput, options: CreateClientOptions = {}) {
	const { mailer } = options;
	if (input.sendWelcome && !mailer) throw new Error('createClient needs a mailer to send the welcome email.');
	const email = input.email.toLowerCase();
	const existingUser = await em.count(UserSchema, { email: { $ilike: email.replace(/[\\%_]/g, '\\$&') } });
	if (existingUser) throw fieldError('email', 'A user with this email already exists.');
	const ownerRole = await em.findOneOrFail(RoleSchema, { builtInKey: 'owner' });
	const created = await mutate(em, actor, async (tx) => {
		const now = new Date();
		const client = tx.create(ClientSchema, {
			id: randomUUID(),
			createdAt: now,
			updatedAt: now,
			name: input.name,
			email,
			company: input.company || null,
			type: input.type,
			billingType: input.billingType,
			currency: input.currency,
			status: 'active'
		});
		const owner = tx.create(UserSchema, {
			id: randomUUID(),
			createdAt: now,
			active: true,
			kind: 'client',
			clientId: client.id,
			roleId: ownerRole.id,
			email,
			name: input.name,
			passwordHash: null
		});
		let welcomeMailId: string | null = null;
		if (input.sendWelcome && mailer) {
			const { token, expiresAt } = issuePasswordToken(tx, owner.id, 'welcome');
			const setPasswordUrl = `${mailer.appUrl}/set-password?token=${token}`;
			const welcome = recordMail(tx, {
				clientId: client.id,
				to: email,
				template: WELCOME_TEMPLATE,
				...renderWelcomeMail({ name: input.name, setPasswordUrl, expiresAt })
			});
			welcomeMailId = welcome.id;
		}
		return {
			result: { client: toClientHeader(client), ownerUserId: owner.id, welcomeMailId },
			activity: {
				clientId: client.id,
				action: 'client.created',
				targetType: 'client',
				targetId: client.id,
				summary: input.sendWelcome ? `Created client ${client.name} and sent a welcome email to ${email}` : `Created client ${client.name}`,
				after: { name: client.name, email, type: input.type, billingType: input.billingType, currency: input.currency, welcomeEmail: input.sendWelcome }
			},
			events: [{ event: 'client.created', rooms: ['staff'], payload: { clientId: client.id } }]
		};
	});
	// Committed: only now may the mail leave. A refused send marks the mail failed and keeps the client.
	const welcomeMail =
		created.welcomeMailId && mailer ? { id: created.welcomeMailId, status: await deliverMail(em, mailer, created.welcomeMailId) } : null;
	return { client: created.client, ownerUserId: created.ownerUserId, welcomeMail };
}

export async function setClientStatus(em: EntityManager, actor: Actor, input: SetClientStatusInput) {
	const client = await getClient(em, actor, input.clientId);
	if (client.status === input.status) {
		throw fieldError('status', `The client is already ${input.status}.`);
	}
	if (client.status === 'terminated') {
		throw new AppError('CONFLICT', 'A terminated client cannot change status.');
	}
	return mutate(em, actor, async () => {
		const before = { status: client.status, statusReason: client.statusReason ?? null };
		client.status = input.status;
		client.statusReason = input.reason;
		const diff = diffFields(before, { status: input.status, statusReason: input.reason });
		return {
			result: toClientHeader(client),
			activity: {
				clientId: client.id,
				action: 'client.status_changed',
				targetType: 'client',
				targetId: client.id,
				summary: `Changed status from ${before.status} to ${input.status}: ${input.reason}`,
				before: diff?.before,
				after: diff?.after
			},
			events: [
				{ event: 'client.updated', rooms: [`client:${client.id}`, 'staff'], payload: { client: toClientHeader(client) } },
				// Open sockets of this client's users are checked again when they lose access (blocked, terminated).
				...(input.status === 'blocked' || input.status === 'terminated'
					? [{ event: 'access.changed', rooms: [SYSTEM_ROOM], payload: { clientId: client.id } }]
					: [])
			]
		};
	});
}
