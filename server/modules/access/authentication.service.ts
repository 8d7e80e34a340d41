import type { EntityManager } from '@mikro-orm/postgresql';
import { UserSchema } from './user.entity';
import { OtpSchema, type OtpStatus } from './otp.entity';
import { effectiveOtpStatus } from './otp.service';
import { issuePasswordToken, maskEmail } from './password-token.service';
import { authChangedEvent } from './authentication.events';
import { PASSWORD_RESET_TEMPLATE, renderPasswordResetMail } from './authentication.mail';
import { describeDevice } from './authentication.device';
import { decodeCursor, encodeCursor, invalidCursor } from '../../db/keyset-cursor';
import { mutate } from '../../db/mutation';
import { deliverMail, recordMail } from '../mail/mail.service';
import type { Mailer } from '../mail/mailer';
import type { Actor } from '../../auth/actor';
import { AppError, notFound } from '../../errors';

export interface AuthUserView {
	id: string;
	name: string;
	email: string;
	active: boolean;
	blocked: boolean;
	/** Staff see why; the client's own users see only that the account is blocked. */
	blockedReason: string | null;
	blockedAt: string | null;
	lockedUntil: string | null;
	totpEnabled: boolean;
	sessions: number;
	lastSignInAt: string | null;
	isYou: boolean;
}

/** The client's users with their sign-in state, for the tab's user table. */
export async function listAuthUsers(em: EntityManager, actor: Actor, clientId: string): Promise<AuthUserView[]> {
	const rows: {
		id: string;
		name: string;
		email: string;
		active: boolean;
		blocked_at: Date | null;
		blocked_reason: string | null;
		locked_until: Date | null;
		totp: boolean;
		sessions: string;
		last_sign_in: Date | null;
	}[] = await em.execute(
		`select u.id, u.name, u.email, u.active, u.blocked_at, u.blocked_reason, u.locked_until,
		        exists (select 1 from user_totp t where t.user_id = u.id and t.confirmed_at is not null) as totp,
		        (select count(*) from session s where s.user_id = u.id and s.expires_at > now()) as sessions,
		        (select max(a.created_at) from login_attempt a where a.user_id = u.id and a.succeeded and a.reason = 'ok') as last_sign_in
		   from app_user u
		  where u.client_id = ?
		  order by lower(u.name), u.id`,
		[clientId]
	);
	const now = Date.now();
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		email: row.email,
		active: row.active,
		blocked: !!row.blocked_at,
		blockedReason: actor.kind === 'staff' ? (row.blocked_reason ?? null) : null,
		blockedAt: row.blocked_at ? new Date(row.blocked_at).toISOString() : null,
		lockedUntil: row.locked_until && new Date(row.locked_until).getTime() > now ? new Date(row.locked_until).toISOString() : null,
		totpEnabled: row.totp,
		sessions: Number(row.sessions),
		lastSignInAt: row.last_sign_in ? new Date(row.last_sign_in).toISOString() : null,
		isYou: row.id === actor.userId
	}));
}

export interface OtpRecordView {
	id: string;
	userName: string | null;
	channel: string;
	purpose: string;
	/** Masked: enough to recognise, not enough to harvest. */
	destination: string;
	status: OtpStatus;
	attempts: number;
	ip: string | null;
	createdAt: string;
	verifiedAt: string | null;
	expiresAt: string;
}

export interface Page<T> {
	rows: T[];
	nextCursor: string | null;
}

/**
 * One client's OTP records, newest first, keyset-paged on (created_at, id). The status filter
 * reads "expired" as it is shown: a code past its expiry that nobody tried again counts too.
 */
export async function listOtpRecords(
	em: EntityManager,
	input: { clientId: string; status?: OtpStatus; cursor?: string; limit: number }
): Promise<Page<OtpRecordView>> {
	const where: Record<string, unknown>[] = [{ clientId: input.clientId }];
	const now = new Date();
	if (input.status === 'sent') where.push({ status: 'sent', expiresAt: { $gt: now } });
	else if (input.status === 'expired') where.push({ $or: [{ status: 'expired' }, { status: 'sent', expiresAt: { $lte: now } }] });
	else if (input.status) where.push({ status: input.status });
	if (input.cursor) {
		const [createdAt, id] = decodeCursor(input.cursor, 2);
		if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(createdAt))) throw invalidCursor();
		const at = new Date(createdAt);
		where.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: id } }] });
	}
	const rows = await em.find(OtpSchema, { $and: where }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: input.limit + 1 });
	const page = rows.slice(0, input.limit);
	const userIds = [...new Set(page.map((row) => row.userId).filter((id): id is string => !!id))];
	const users = userIds.length ? await em.find(UserSchema, { id: { $in: userIds } }, { fields: ['id', 'name'] }) : [];
	const names = new Map(users.map((user) => [user.id, user.name]));
	const last = page.at(-1);
	return {
		rows: page.map((row) => ({
			id: row.id,
			userName: row.userId ? (names.get(row.userId) ?? null) : null,
			channel: row.channel,
			purpose: row.purpose,
			destination: maskEmail(row.destination),
			status: effectiveOtpStatus(row),
			attempts: row.attempts,
			ip: row.ip ?? null,
			createdAt: row.createdAt.toISOString(),
			verifiedAt: row.verifiedAt?.toISOString() ?? null,
			expiresAt: row.expiresAt.toISOString()
		})),
		nextCursor: rows.length > input.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null
	};
}

export interface FailedLoginView {
	id: string;
	userId: string | null;
	userName: string | null;
	email: string;
	reason: string;
	ip: string | null;
	device: string;
	createdAt: string;
}

const FAILURE_LABELS: Record<string, string> = {
	bad_password: 'Wrong password',
	bad_second_factor: 'Wrong two-factor code',
	locked: 'Locked out',
	blocked: 'Blocked',
	inactive: 'Deactivated',
	client_blocked: 'Account blocked',
	client_terminated: 'Account terminated'
};

/** Failed sign-ins of the client's users, newest first, keyset-paged on id. */
export async function listFailedLogins(
	em: EntityManager,
	input: { clientId: string; userId?: string; cursor?: string; limit: number }
): Promise<Page<FailedLoginView>> {
	const params: unknown[] = [input.clientId];
	let extra = '';
	if (input.userId) {
		extra += ' and a.user_id = ?';
		params.push(input.userId);
	}
	if (input.cursor) {
		const [id] = decodeCursor(input.cursor, 1);
		if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw invalidCursor();
		extra += ' and a.id < ?';
		params.push(id);
	}
	params.push(input.limit + 1);
	const rows: { id: string; user_id: string | null; user_name: string | null; email: string; reason: string; ip: string | null; user_agent: string | null; created_at: Date }[] =
		await em.execute(
			`select a.id, a.user_id, u.name as user_name, a.email, a.reason, a.ip, a.user_agent, a.created_at
			   from login_attempt a
			   join app_user u on u.id = a.user_id
			  where u.client_id = ? and not a.succeeded${extra}
			  order by a.id desc
			  limit ?`,
			params
		);
	const page = rows.slice(0, input.limit);
	return {
		rows: page.map((row) => ({
			id: String(row.id),
			userId: row.user_id,
			userName: row.user_name,
			email: row.email,
			reason: FAILURE_LABELS[row.reason] ?? row.reason,
			ip: row.ip,
			device: describeDevice(row.user_agent),
			createdAt: new Date(row.created_at).toISOString()
		})),
		nextCursor: rows.length > input.limit ? encodeCursor([String(page.at(-1)!.id)]) : null
	};
}

/** Staff send a client user a single-use reset link (the /set-password page consumes it). */
export async function sendPasswordResetLink(
	em: EntityManager,
	actor: Actor,
	input: { clientId: string; userId: string },
	deps: { mailer: Mailer }
): Promise<{ sentTo: string; expiresAt: string }> {
	if (actor.kind !== 'staff') throw notFound('That user');
	const user = await em.findOne(UserSchema, { id: input.userId, clientId: input.clientId, kind: 'client' });
	if (!user) throw notFound('That user');
	if (user.blockedAt || !user.active) throw new AppError('CONFLICT', `${user.name} is blocked or deactivated: a reset link would not let them in.`);
	const sent = await mutate(em, actor, async (tx) => {
		const { token, expiresAt } = issuePasswordToken(tx, user.id, 'reset');
		const mail = recordMail(tx, {
			clientId: input.clientId,
			to: user.email,
			template: PASSWORD_RESET_TEMPLATE,
			...renderPasswordResetMail({ name: user.name, resetUrl: `${deps.mailer.appUrl}/set-password?token=${token}`, expiresAt, sentBy: actor.name })
		});
		return {
			result: { mailId: mail.id, expiresAt },
			activity: {
				clientId: input.clientId,
				action: 'auth.reset_link_sent',
				targetType: 'user',
				targetId: user.id,
				summary: `${actor.name} sent ${user.name} a password reset link`,
				after: { to: maskEmail(user.email), expiresAt: expiresAt.toISOString() }
			},
			events: [authChangedEvent(input.clientId, 'users')]
		};
	});
	await deliverMail(em, deps.mailer, sent.mailId);
	return { sentTo: maskEmail(user.email), expiresAt: sent.expiresAt.toISOString() };
}
