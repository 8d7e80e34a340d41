import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Actor } from '../../auth/actor';
import { hashPassword } from '../../auth/password';
import { mutate } from '../../db/mutation';
import { AppError, fieldError, notFound } from '../../errors';
import { ClientSchema } from '../clients/client.entity';
import { deliverMail, recordMail } from '../mail/mail.service';
import type { Mailer } from '../mail/mailer';
import { InvitationSchema, type Invitation } from './invitation.entity';
import { INVITATION_TEMPLATE, renderInvitationMail } from './invitation.template';
import { RoleSchema, type Role } from './role.entity';
import { UserSchema } from './user.entity';
import { hashPasswordToken, maskEmail } from './password-token.service';
import { passwordStrength } from '../../auth/password-change.strength';
import { assertMayGrant, assignableRole } from './users.policy';
import { usersChanged } from './users.events';
import type { AcceptInvitationInput, CreateInvitationInput, InvitationTargetInput } from './invitation.schemas';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** 32 random bytes as lower-case base32, as for password links. */
const TOKEN_PATTERN = /^[a-z2-7]{52}$/;

export type InvitationProblem = 'invalid' | 'expired' | 'used' | 'revoked';

export const INVITATION_MESSAGES: Record<InvitationProblem, string> = {
	invalid: 'This invitation link is not valid.',
	expired: 'This invitation has expired.',
	used: 'This invitation was already accepted.',
	revoked: 'This invitation was withdrawn.'
};

/** A fresh raw token and its hash: the raw one goes only into the mail. */
function newToken(): { token: string; tokenHash: string; expiresAt: Date } {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	const token = encodeBase32LowerCaseNoPadding(bytes);
	return { token, tokenHash: hashPasswordToken(token), expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS) };
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, '\\$&');
const emailTaken = () => fieldError('email', 'A user with this email already exists.');

export interface InvitationView {
	id: string;
	email: string;
	roleId: string;
	roleName: string;
	invitedByName: string;
	createdAt: Date;
	expiresAt: Date;
	expired: boolean;
}

const OPEN_INVITATIONS_SHOWN = 100;

/** Open (not accepted, not revoked) invitations of the client, newest first; expired ones are marked. */
export async function listOpenInvitations(em: EntityManager, clientId: string): Promise<InvitationView[]> {
	const rows = await em.find(
		InvitationSchema,
		{ clientId, acceptedAt: null, revokedAt: null },
		{ orderBy: { createdAt: 'desc', id: 'desc' }, limit: OPEN_INVITATIONS_SHOWN }
	);
	const roles = await em.find(RoleSchema, { id: { $in: [...new Set(rows.map((row) => row.roleId))] } });
	const roleName = Object.fromEntries(roles.map((role) => [role.id, role.name]));
	const now = Date.now();
	return rows.map((row) => ({
		id: row.id,
		email: row.email,
		roleId: row.roleId,
		roleName: roleName[row.roleId] ?? '',
		invitedByName: row.invitedByName,
		createdAt: row.createdAt,
		expiresAt: row.expiresAt,
		expired: row.expiresAt.getTime() <= now
	}));
}

interface MailContext {
	mailer: Mailer;
}

function recordInvitationMail(tx: EntityManager, mailer: Mailer, input: { clientId: string; clientName: string; email: string; role: Role; inviterName: string; token: string; expiresAt: Date }) {
	return recordMail(tx, {
		clientId: input.clientId,
		to: input.email,
		template: INVITATION_TEMPLATE,
		...renderInvitationMail({
			inviterName: input.inviterName,
			clientName: input.clientName,
			roleName: input.role.name,
			acceptUrl: `${mailer.appUrl}/invite?token=${input.token}`,
			expiresAt: input.expiresAt
		})
	});
}

/** Invites an address with a role; the mail leaves only after the invitation committed. */
export async function createInvitation(em: EntityManager, actor: Actor, input: CreateInvitationInput, { mailer }: MailContext) {
	const email = input.email.toLowerCase();
	if (await em.count(UserSchema, { email: { $ilike: escapeLike(email) } })) throw emailTaken();
	const open = await em.count(InvitationSchema, { clientId: input.clientId, email, acceptedAt: null, revokedAt: null });
	if (open) throw fieldError('email', 'This address already has an open invitation: resend it instead.');
	const role = await assignableRole(em, input.clientId, input.roleId);
	if (!role) throw fieldError('roleId', 'Choose one of this account’s roles.');
	assertMayGrant(actor, role.permissions, 'roleId');
	const client = await em.findOneOrFail(ClientSchema, { id: input.clientId });

	const created = await mutate(em, actor, async (tx) => {
		const { token, tokenHash, expiresAt } = newToken();
		const invitation = tx.create(InvitationSchema, {
			id: randomUUID(),
			clientId: input.clientId,
			email,
			roleId: role.id,
			tokenHash,
			invitedByUserId: actor.userId,
			invitedByName: actor.name,
			expiresAt,
			acceptedAt: null,
			acceptedUserId: null,
			revokedAt: null,
			createdAt: new Date()
		});
		const mail = recordInvitationMail(tx, mailer, { clientId: client.id, clientName: client.name, email, role, inviterName: actor.name, token, expiresAt });
		return {
			result: { invitationId: invitation.id, mailId: mail.id },
			activity: {
				clientId: input.clientId,
				action: 'user.invited',
				targetType: 'invitation',
				targetId: invitation.id,
				summary: `Invited ${email} as ${role.name}`,
				after: { email, role: role.name, expiresAt: expiresAt.toISOString() }
			},
			events: [usersChanged(input.clientId)]
		};
	}).catch((error: unknown) => {
		// Two invites of one address at the same moment: the open-invitation index keeps one.
		if (error instanceof UniqueConstraintViolationException) throw fieldError('email', 'This address already has an open invitation: resend it instead.');
		throw error;
	});
	return { invitationId: created.invitationId, mailStatus: await deliverMail(em, mailer, created.mailId) };
}

async function loadOpenInvitation(em: EntityManager, input: InvitationTargetInput): Promise<Invitation> {
	const invitation = await em.findOne(InvitationSchema, { id: input.invitationId, clientId: input.clientId });
	if (!invitation) throw notFound('That invitation');
	if (invitation.acceptedAt) throw new AppError('BAD_REQUEST', 'This invitation was already accepted.');
	if (invitation.revokedAt) throw new AppError('BAD_REQUEST', 'This invitation was already withdrawn.');
	return invitation;
}

/** Sends a new link with a fresh week: the old link stops working (its hash is replaced). */
export async function resendInvitation(em: EntityManager, actor: Actor, input: InvitationTargetInput, { mailer }: MailContext) {
	const invitation = await loadOpenInvitation(em, input);
	const role = await em.findOneOrFail(RoleSchema, { id: invitation.roleId });
	assertMayGrant(actor, role.permissions, 'roleId');
	const client = await em.findOneOrFail(ClientSchema, { id: input.clientId });
	const mailId = await mutate(em, actor, async (tx) => {
		const { token, tokenHash, expiresAt } = newToken();
		const updated = await tx.nativeUpdate(InvitationSchema, { id: invitation.id, acceptedAt: null, revokedAt: null }, { tokenHash, expiresAt });
		if (!updated) throw new AppError('BAD_REQUEST', 'This invitation is no longer open.');
		const mail = recordInvitationMail(tx, mailer, { clientId: client.id, clientName: client.name, email: invitation.email, role, inviterName: actor.name, token, expiresAt });
		return {
			result: mail.id,
			activity: {
				clientId: input.clientId,
				action: 'user.invitation_resent',
				targetType: 'invitation',
				targetId: invitation.id,
				summary: `Sent a new invitation link to ${invitation.email}`,
				before: { expiresAt: invitation.expiresAt.toISOString() },
				after: { expiresAt: expiresAt.toISOString() }
			},
			events: [usersChanged(input.clientId)]
		};
	});
	return { mailStatus: await deliverMail(em, mailer, mailId) };
}

export async function revokeInvitation(em: EntityManager, actor: Actor, input: InvitationTargetInput): Promise<void> {
	const invitation = await loadOpenInvitation(em, input);
	await mutate(em, actor, async (tx) => {
		const updated = await tx.nativeUpdate(InvitationSchema, { id: invitation.id, acceptedAt: null, revokedAt: null }, { revokedAt: new Date() });
		if (!updated) throw new AppError('BAD_REQUEST', 'This invitation is no longer open.');
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'user.invitation_revoked',
				targetType: 'invitation',
				targetId: invitation.id,
				summary: `Withdrew the invitation of ${invitation.email}`
			},
			events: [usersChanged(input.clientId)]
		};
	});
}

type Lookup = { problem: InvitationProblem | null; invitation: Invitation | null };

async function lookUp(em: EntityManager, token: string): Promise<Lookup> {
	const normalized = token.trim().toLowerCase();
	if (!TOKEN_PATTERN.test(normalized)) return { problem: 'invalid', invitation: null };
	const invitation = await em.findOne(InvitationSchema, { tokenHash: hashPasswordToken(normalized) });
	if (!invitation) return { problem: 'invalid', invitation: null };
	if (invitation.acceptedAt) return { problem: 'used', invitation };
	if (invitation.revokedAt) return { problem: 'revoked', invitation };
	if (invitation.expiresAt.getTime() <= Date.now()) return { problem: 'expired', invitation };
	return { problem: null, invitation };
}

export interface InvitationStatus {
	valid: boolean;
	reason?: InvitationProblem;
	/** Null when the link matches no invitation. */
	clientName: string | null;
	/** Masked, as on the password link page. */
	email: string | null;
	roleName: string | null;
}

export async function invitationStatus(em: EntityManager, token: string): Promise<InvitationStatus> {
	const { problem, invitation } = await lookUp(em, token);
	if (!invitation) return { valid: false, reason: 'invalid', clientName: null, email: null, roleName: null };
	const [client, role] = await Promise.all([
		em.fork().findOne(ClientSchema, { id: invitation.clientId }, { fields: ['name'] }),
		em.fork().findOne(RoleSchema, { id: invitation.roleId }, { fields: ['name'] })
	]);
	return {
		valid: !problem,
		...(problem ? { reason: problem } : {}),
		clientName: client?.name ?? null,
		email: maskEmail(invitation.email),
		roleName: role?.name ?? null
	};
}

/**
 * Creates the invited user with the invitation's role, in one transaction that also uses the
 * invitation up. No session is opened: the new user signs in normally.
 */
export async function acceptInvitation(
	em: EntityManager,
	input: AcceptInvitationInput,
	request: { ip: string | null; userAgent: string | null }
): Promise<{ email: string }> {
	const { problem, invitation } = await lookUp(em, input.token);
	if (problem || !invitation) throw new AppError('BAD_REQUEST', INVITATION_MESSAGES[problem ?? 'invalid']);
	// The same rules as a password change: a link must not be the weak way in.
	const weakness = passwordStrength(input.password, { email: invitation.email, name: input.name }).problem;
	if (weakness) throw fieldError('password', weakness);
	if (await em.count(UserSchema, { email: { $ilike: escapeLike(invitation.email) } })) {
		throw new AppError('BAD_REQUEST', 'An account with this email already exists: sign in with it instead.');
	}
	const role = await em.findOneOrFail(RoleSchema, { id: invitation.roleId });
	const passwordHash = await hashPassword(input.password);
	const userId = randomUUID();
	const actor: Actor = {
		kind: 'client',
		userId,
		name: input.name,
		email: invitation.email,
		clientId: invitation.clientId,
		roleName: role.name,
		permissions: new Set(),
		impersonator: null,
		sessionId: null,
		ip: request.ip,
		userAgent: request.userAgent
	};
	return mutate(em, actor, async (tx) => {
		const now = new Date();
		// The conditional update is the single-use guarantee when two requests race with one link.
		const claimed = await tx.nativeUpdate(
			InvitationSchema,
			{ id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
			{ acceptedAt: now, acceptedUserId: userId }
		);
		if (!claimed) throw new AppError('BAD_REQUEST', INVITATION_MESSAGES.used);
		tx.create(UserSchema, {
			id: userId,
			kind: 'client',
			clientId: invitation.clientId,
			roleId: role.id,
			email: invitation.email,
			name: input.name,
			passwordHash,
			active: true,
			createdAt: now
		});
		return {
			result: { email: invitation.email },
			activity: {
				clientId: invitation.clientId,
				action: 'user.invitation_accepted',
				targetType: 'user',
				targetId: userId,
				summary: `${input.name} (${invitation.email}) accepted the invitation and joined as ${role.name}`,
				after: { name: input.name, email: invitation.email, role: role.name }
			},
			events: [usersChanged(invitation.clientId)]
		};
	}).catch((error: unknown) => {
		if (error instanceof UniqueConstraintViolationException) throw new AppError('BAD_REQUEST', 'An account with this email already exists: sign in with it instead.');
		throw error;
	});
}
