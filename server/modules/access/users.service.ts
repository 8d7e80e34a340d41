import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor';
import { mutate } from '../../db/mutation';
import { decodeCursor, encodeCursor, invalidCursor } from '../../db/keyset-cursor';
import { AppError, fieldError, notFound } from '../../errors';
import { RoleSchema, type Role } from './role.entity';
import { UserSchema, type User } from './user.entity';
import { SessionSchema } from './session.entity';
import { groupPermissions, type PermissionGroup } from './roles.catalogue';
import { assertAnotherActiveOwner, assertMayGrant, assertMayManage, assignableRole } from './users.policy';
import { accessChanged } from './users.events';
import type { AssignRoleInput, ListUsersInput, UserTargetInput } from './users.schemas';

export type UserStatus = 'active' | 'invited' | 'deactivated' | 'blocked';

export interface UserRow {
	id: string;
	name: string;
	email: string;
	roleId: string;
	roleName: string;
	isOwner: boolean;
	status: UserStatus;
	lastSignInAt: Date | null;
	createdAt: Date;
}

export interface UserDetail extends UserRow {
	/** What the user may do right now, grouped by area with human labels. */
	permissions: PermissionGroup[];
	blockedReason: string | null;
}

/** Blocked (by staff) outranks deactivated (by the account); a user who never set a password is still "invited". */
export function userStatus(user: { active: boolean; blockedAt?: Date | null; hasPassword: boolean }): UserStatus {
	if (user.blockedAt) return 'blocked';
	if (!user.active) return 'deactivated';
	return user.hasPassword ? 'active' : 'invited';
}

export const USERS_PAGE_SIZE = 50;

interface UserQueryRow {
	id: string;
	name: string;
	email: string;
	role_id: string;
	role_name: string;
	built_in_key: string | null;
	active: boolean;
	blocked_at: Date | null;
	has_password: boolean;
	created_at: Date;
	created_key: string;
	last_sign_in_at: Date | null;
}

// The last sign-in comes from the newest successful attempt (login_attempt_user_success_idx).
const USER_COLUMNS = `u.id, u.name, u.email, u.role_id, r.name as role_name, r.built_in_key, u.active, u.blocked_at,
  u.password_hash is not null as has_password, u.created_at,
  to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key,
  (select la.created_at from login_attempt la where la.user_id = u.id and la.succeeded order by la.id desc limit 1) as last_sign_in_at`;

function toRow(row: UserQueryRow): UserRow {
	return {
		id: row.id,
		name: row.name,
		email: row.email,
		roleId: row.role_id,
		roleName: row.role_name,
		isOwner: row.built_in_key === 'owner',
		status: userStatus({ active: row.active, blockedAt: row.blocked_at, hasPassword: row.has_password }),
		lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at) : null,
		createdAt: new Date(row.created_at)
	};
}

/** The client's users, oldest first (the owner leads), keyset-paginated on (created_at, id). */
export async function listUsers(em: EntityManager, input: ListUsersInput): Promise<{ users: UserRow[]; nextCursor: string | null }> {
	const after = input.cursor ? decodeCursor(input.cursor, 2) : null;
	if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !/^[0-9a-f-]{36}$/.test(after[1]))) throw invalidCursor();
	const rows: UserQueryRow[] = await em.execute(
		`select ${USER_COLUMNS} from app_user u join role r on r.id = u.role_id
		 where u.client_id = ? ${after ? 'and (u.created_at, u.id) > (?::timestamptz, ?::uuid)' : ''}
		 order by u.created_at, u.id limit ?`,
		[input.clientId, ...(after ?? []), USERS_PAGE_SIZE + 1]
	);
	const page = rows.slice(0, USERS_PAGE_SIZE);
	const last = page[page.length - 1];
	return { users: page.map(toRow), nextCursor: rows.length > USERS_PAGE_SIZE && last ? encodeCursor([last.created_key, last.id]) : null };
}

/** A user of this client with their role; NOT_FOUND for any other (another client's, staff, unknown). */
async function loadUser(em: EntityManager, clientId: string, userId: string): Promise<{ user: User; role: Role }> {
	const user = await em.findOne(UserSchema, { id: userId, clientId, kind: 'client' });
	if (!user) throw notFound('That user');
	return { user, role: await em.findOneOrFail(RoleSchema, { id: user.roleId }) };
}

export async function getUser(em: EntityManager, input: UserTargetInput): Promise<UserDetail> {
	const rows: UserQueryRow[] = await em.execute(
		`select ${USER_COLUMNS}, u.blocked_reason from app_user u join role r on r.id = u.role_id where u.client_id = ? and u.id = ? and u.kind = 'client'`,
		[input.clientId, input.userId]
	);
	if (!rows[0]) throw notFound('That user');
	const { role, user } = await loadUser(em, input.clientId, input.userId);
	return { ...toRow(rows[0]), permissions: groupPermissions(role.permissions), blockedReason: user.blockedReason ?? null };
}

/** Deactivated users cannot sign in; their sessions end now and their open sockets are closed. */
export async function deactivateUser(em: EntityManager, actor: Actor, input: UserTargetInput): Promise<void> {
	const { user, role } = await loadUser(em, input.clientId, input.userId);
	if (user.id === actor.userId) throw new AppError('BAD_REQUEST', 'You cannot deactivate yourself.');
	if (!user.active) throw new AppError('BAD_REQUEST', `${user.name} is already deactivated.`);
	assertMayManage(actor, role);
	await mutate(em, actor, async (tx) => {
		if (role.builtInKey === 'owner') {
			await assertAnotherActiveOwner(tx, input.clientId, user.id, 'The account must keep at least one active Owner: make someone else Owner first.');
		}
		await tx.nativeUpdate(UserSchema, { id: user.id }, { active: false });
		const sessions = await tx.nativeDelete(SessionSchema, { userId: user.id });
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'user.deactivated',
				targetType: 'user',
				targetId: user.id,
				summary: `Deactivated ${user.name} (${user.email})${sessions ? ` and ended ${sessions} session${sessions === 1 ? '' : 's'}` : ''}`,
				before: { active: true },
				after: { active: false }
			},
			events: accessChanged(input.clientId, [user.id])
		};
	});
}

export async function reactivateUser(em: EntityManager, actor: Actor, input: UserTargetInput): Promise<void> {
	const { user, role } = await loadUser(em, input.clientId, input.userId);
	if (user.active) throw new AppError('BAD_REQUEST', `${user.name} is already active.`);
	// Bringing a user back gives their role's permissions again: only within the actor's own.
	assertMayManage(actor, role);
	await mutate(em, actor, async (tx) => {
		await tx.nativeUpdate(UserSchema, { id: user.id }, { active: true });
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'user.reactivated',
				targetType: 'user',
				targetId: user.id,
				summary: `Reactivated ${user.name} (${user.email})`,
				before: { active: false },
				after: { active: true }
			},
			events: accessChanged(input.clientId, [user.id])
		};
	});
}

/** Gives a user another role; it applies to their open sessions at once. */
export async function assignRole(em: EntityManager, actor: Actor, input: AssignRoleInput): Promise<void> {
	const { user, role: current } = await loadUser(em, input.clientId, input.userId);
	// Neither promoting nor demoting yourself: the first is escalation, the second a lock-out.
	if (user.id === actor.userId) throw fieldError('roleId', 'You cannot change your own role. Ask another Owner.');
	const next = await assignableRole(em, input.clientId, input.roleId);
	if (!next) throw fieldError('roleId', 'Choose one of this account’s roles.');
	if (next.id === current.id) throw fieldError('roleId', `${user.name} already has the role ${next.name}.`);
	assertMayManage(actor, current);
	assertMayGrant(actor, next.permissions, 'roleId');
	await mutate(em, actor, async (tx) => {
		if (current.builtInKey === 'owner' && user.active) {
			await assertAnotherActiveOwner(tx, input.clientId, user.id, 'The account must keep at least one active Owner: make someone else Owner first.');
		}
		await tx.nativeUpdate(UserSchema, { id: user.id }, { roleId: next.id });
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'user.role_changed',
				targetType: 'user',
				targetId: user.id,
				summary: `Changed the role of ${user.name} from ${current.name} to ${next.name}`,
				before: { role: current.name },
				after: { role: next.name }
			},
			events: accessChanged(input.clientId, [user.id])
		};
	});
}
