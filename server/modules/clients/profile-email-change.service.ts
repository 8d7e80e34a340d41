import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema, type Client } from './client.entity';
import { ClientProfileSchema } from './client-profile.entity';
import { getClient } from './client.service';
import { newProfileRow, profileEvents, toProfileView, type ProfileView } from './profile.service';
import type { ConfirmEmailChangeInput, RequestEmailChangeInput } from './profile.schemas';
import { UserSchema, type User } from '../access/user.entity';
import { ActivitySchema } from '../activity/activity.entity';
import { issueOtp, verifyOtp } from '../access/otp.service';
import { deliverMail, recordMail } from '../mail/mail.service';
import { EMAIL_CHANGE_CODE_TEMPLATE, renderEmailChangeCodeMail } from '../mail/email-change-code.template';
import { EMAIL_CHANGE_NOTICE_TEMPLATE, renderEmailChangeNoticeMail } from '../mail/email-change-notice.template';
import type { Mailer } from '../mail/mailer';
import { mutate } from '../../db/mutation';
import { writeOutbox } from '../../realtime/outbox-writer';
import { AppError, fieldError, notFound } from '../../errors';
import type { Actor } from '../../auth/actor';

/** Codes mailed per client per hour: enough for typos and a lost mail, too few to mail-bomb an address. */
export const EMAIL_CHANGE_REQUESTS_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, '\\$&');

/** The user who signs in with the client's own address (the owner), if any. */
function accountUser(em: EntityManager, client: Client): Promise<User | null> {
	return em.findOne(UserSchema, { clientId: client.id, email: { $ilike: escapeLike(client.email) } });
}

/** Refuses an address another user already signs in with (login emails are unique). */
async function assertAddressFree(em: EntityManager, email: string, exceptUserId: string | null, field: string) {
	const taken = await em.findOne(UserSchema, { email: { $ilike: escapeLike(email) }, ...(exceptUserId ? { id: { $ne: exceptUserId } } : {}) });
	if (taken) throw fieldError(field, 'Another user already signs in with this address.');
}

async function assertUnderRequestLimit(em: EntityManager, clientId: string) {
	const since = new Date(Date.now() - HOUR_MS);
	const recent = await em.find(
		ActivitySchema,
		{ clientId, action: 'profile.email_change_requested', createdAt: { $gte: since } },
		{ orderBy: { createdAt: 'asc' }, fields: ['createdAt'] }
	);
	if (recent.length >= EMAIL_CHANGE_REQUESTS_PER_HOUR) {
		const retryAfterSeconds = Math.max(1, Math.ceil((recent[0].createdAt.getTime() + HOUR_MS - Date.now()) / 1000));
		throw new AppError('TOO_MANY_REQUESTS', 'Too many email change requests for this account; try again later.', undefined, retryAfterSeconds);
	}
}

/**
 * Starts an email change: a code goes to the NEW address and a notice to the OLD one, both
 * recorded with the pending change and sent once it commits. Nothing else changes until the
 * code comes back (confirmEmailChange). A new request replaces the pending one.
 */
export async function requestEmailChange(em: EntityManager, actor: Actor, input: RequestEmailChangeInput, mailer: Mailer): Promise<ProfileView> {
	const client = await getClient(em, actor, input.clientId);
	const email = input.email.trim().toLowerCase();
	if (email === client.email.toLowerCase()) throw fieldError('email', 'This is already the account’s email.');
	const owner = await accountUser(em, client);
	await assertAddressFree(em, email, owner?.id ?? null, 'email');
	await assertUnderRequestLimit(em, client.id);

	const outcome = await mutate(em, actor, async (tx) => {
		const locked = await tx.findOneOrFail(ClientSchema, { id: client.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		const profile = (await tx.findOne(ClientProfileSchema, { clientId: locked.id })) ?? newProfileRow(tx, locked.id);
		const previous = profile.pendingEmail ?? null;
		const { otpId, code } = await issueOtp(tx, {
			userId: owner?.id ?? null,
			clientId: locked.id,
			channel: 'email',
			purpose: 'email_change',
			destination: email,
			ip: actor.ip
		});
		profile.pendingEmail = email;
		profile.pendingEmailOtpId = otpId;
		profile.pendingEmailRequestedAt = new Date();
		const codeMail = recordMail(tx, {
			clientId: locked.id,
			to: email,
			template: EMAIL_CHANGE_CODE_TEMPLATE,
			...renderEmailChangeCodeMail({ name: locked.name, code })
		});
		const noticeMail = recordMail(tx, {
			clientId: locked.id,
			to: locked.email,
			template: EMAIL_CHANGE_NOTICE_TEMPLATE,
			...renderEmailChangeNoticeMail({ name: locked.name, newEmail: email, requestedBy: actor.name })
		});
		const view = toProfileView(locked, profile);
		return {
			result: { view, mailIds: [codeMail.id, noticeMail.id] },
			activity: {
				clientId: locked.id,
				action: 'profile.email_change_requested',
				targetType: 'client',
				targetId: locked.id,
				summary: `Asked to change the account email from ${locked.email} to ${email}; code sent to the new address, old address told`,
				before: { pendingEmail: previous },
				after: { pendingEmail: email }
			},
			events: profileEvents(locked, view, false)
		};
	});
	// Committed: only now may the mails leave (a refused send marks that mail failed).
	for (const mailId of outcome.mailIds) await deliverMail(em, mailer, mailId);
	// The email log showed these as recorded when the change committed; now their status is known.
	await em.transactional((tx) => writeOutbox(tx, [{ event: 'mail.delivered', rooms: [`client:${client.id}`], payload: { mailIds: outcome.mailIds } }]));
	return outcome.view;
}

/**
 * Applies the pending change once its code checks out: the client's email and the login email
 * of the user who signed in with the old address change together. A wrong, expired or
 * exhausted code is a field error on `code` and changes nothing.
 */
export async function confirmEmailChange(em: EntityManager, actor: Actor, input: ConfirmEmailChangeInput): Promise<ProfileView> {
	const client = await getClient(em, actor, input.clientId);
	return mutate(em, actor, async (tx) => {
		const locked = await tx.findOneOrFail(ClientSchema, { id: client.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		const profile = await tx.findOne(ClientProfileSchema, { clientId: locked.id }, { refresh: true });
		if (!profile?.pendingEmail || !profile.pendingEmailOtpId) {
			throw fieldError('code', 'There is no email change waiting for a code. Ask for a new one.');
		}
		const oldEmail = locked.email;
		const newEmail = profile.pendingEmail;
		const user = await accountUser(tx, locked);
		await assertAddressFree(tx, newEmail, user?.id ?? null, 'code');
		// Spent in this transaction: if the change below fails, the code stays usable. Wrong guesses
		// are counted apart by the OTP service, so a rollback gives no free attempts.
		const verified = await verifyOtp(tx, { otpId: profile.pendingEmailOtpId, code: input.code, ip: actor.ip });
		if (verified.purpose !== 'email_change' || verified.clientId !== locked.id || verified.destination.toLowerCase() !== newEmail) {
			throw notFound('That code');
		}
		locked.email = newEmail;
		if (user) user.email = newEmail;
		profile.pendingEmail = null;
		profile.pendingEmailOtpId = null;
		profile.pendingEmailRequestedAt = null;
		const view = toProfileView(locked, profile);
		return {
			result: view,
			activity: {
				clientId: locked.id,
				action: 'profile.email_changed',
				targetType: 'client',
				targetId: locked.id,
				summary: user
					? `Changed the account email from ${oldEmail} to ${newEmail} (confirmed by code); ${user.name} now signs in with it`
					: `Changed the account email from ${oldEmail} to ${newEmail} (confirmed by code)`,
				before: { email: oldEmail, ...(user ? { loginEmail: oldEmail } : {}) },
				after: { email: newEmail, ...(user ? { loginEmail: newEmail } : {}) }
			},
			events: profileEvents(locked, view, true)
		};
	});
}

/** Drops a pending change (its code then leads nowhere). */
export async function cancelEmailChange(em: EntityManager, actor: Actor, clientId: string): Promise<ProfileView> {
	await getClient(em, actor, clientId);
	return mutate(em, actor, async (tx) => {
		const client = await tx.findOneOrFail(ClientSchema, { id: clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		const profile = await tx.findOne(ClientProfileSchema, { clientId });
		if (!profile?.pendingEmail) throw new AppError('CONFLICT', 'There is no pending email change to cancel.');
		const pendingEmail = profile.pendingEmail;
		profile.pendingEmail = null;
		profile.pendingEmailOtpId = null;
		profile.pendingEmailRequestedAt = null;
		const view = toProfileView(client, profile);
		return {
			result: view,
			activity: {
				clientId,
				action: 'profile.email_change_cancelled',
				targetType: 'client',
				targetId: clientId,
				summary: `Cancelled the change of the account email to ${pendingEmail}`,
				before: { pendingEmail },
				after: { pendingEmail: null }
			},
			events: profileEvents(client, view, false)
		};
	});
}
