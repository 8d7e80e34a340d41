import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../auth/actor';
import { isPermission } from '../../auth/permissions';
import { mutate, diffFields } from '../../db/mutation';
import { AppError, fieldError, notFound } from '../../errors';
import { RoleSchema, type Role } from './role.entity';
import { UserSchema } from './user.entity';
import { InvitationSchema } from './invitation.entity';
import { groupPermissions, isClientGrantable, type PermissionGroup } from './roles.catalogue';
import { assertMayGrant, permissionLabel } from './users.policy';
import { accessChanged, usersChanged } from './users.events';
import type { CreateRoleInput, RoleTargetInput, UpdateRoleInput } from './roles.schemas';

export interface RoleView {
	id: string;
	name: string;
	description: string;
	/** The built-in Owner: read-only, every client permission. */
	builtIn: boolean;
	permissionKeys: string[];
	permissions: PermissionGroup[];
	userCount: number;
}

function toView(role: Role, userCount: number): RoleView {
	return {
		id: role.id,
		name: role.name,
		description: role.description,
		builtIn: !!role.builtInKey,
		permissionKeys: [...role.permissions],
		permissions: groupPermissions(role.permissions),
		userCount
	};
}

/** The roles a user of this client can have: Owner first, then the client's own by name. */
export async function listRoles(em: EntityManager, clientId: string): Promise<RoleView[]> {
	const roles = await em.find(RoleSchema, { $or: [{ builtInKey: 'owner' }, { clientId, audience: 'client' }] });
	const counts: { role_id: string; users: string }[] = await em.execute(
		'select role_id, count(*) as users from app_user where client_id = ? group by role_id',
		[clientId]
	);
	const countOf = Object.fromEntries(counts.map((row) => [row.role_id, Number(row.users)]));
	return roles
		.sort((a, b) => Number(!!b.builtInKey) - Number(!!a.builtInKey) || a.name.localeCompare(b.name))
		.map((role) => toView(role, countOf[role.id] ?? 0));
}

/** Only client-grantable, known permissions, and (for client users) only ones the editor holds. */
function validatePermissions(actor: Actor, permissions: string[]): string[] {
	const unique = [...new Set(permissions)];
	if (!unique.length) throw fieldError('permissions', 'Choose at least one permission.');
	const unknown = unique.filter((permission) => !isPermission(permission));
	if (unknown.length) throw fieldError('permissions', `Unknown permission: ${unknown.join(', ')}.`);
	const staffOnly = unique.filter((permission) => !isClientGrantable(permission));
	if (staffOnly.length) {
		throw fieldError('permissions', `Only staff can hold: ${staffOnly.map(permissionLabel).join(', ')}. Remove it from the role.`);
	}
	assertMayGrant(actor, unique, 'permissions');
	// Every client user reaches the workspace through its Summary (header, live room): always part of a role.
	return unique.includes('summary.read') ? unique : ['summary.read', ...unique];
}

async function assertNameFree(em: EntityManager, clientId: string, name: string, exceptRoleId?: string) {
	if (name.toLowerCase() === 'owner') throw fieldError('name', 'Owner is the built-in role; choose another name.');
	const taken = await em.count(RoleSchema, {
		clientId,
		name: { $ilike: name.replace(/[\\%_]/g, '\\$&') },
		...(exceptRoleId ? { id: { $ne: exceptRoleId } } : {})
	});
	if (taken) throw fieldError('name', 'This account already has a role with this name.');
}

/** The unique index is the last word when two people create the same name at once. */
function nameTakenOnRace(error: unknown): never {
	if (error instanceof UniqueConstraintViolationException) throw fieldError('name', 'This account already has a role with this name.');
	throw error;
}

async function loadCustomRole(em: EntityManager, clientId: string, roleId: string): Promise<Role> {
	const role = await em.findOne(RoleSchema, { id: roleId });
	if (role?.builtInKey === 'owner') throw new AppError('BAD_REQUEST', 'Owner is a built-in role and cannot be changed.');
	if (!role || role.clientId !== clientId) throw notFound('That role');
	return role;
}

export async function createRole(em: EntityManager, actor: Actor, input: CreateRoleInput): Promise<RoleView> {
	const permissions = validatePermissions(actor, input.permissions);
	await assertNameFree(em, input.clientId, input.name);
	return mutate(em, actor, async (tx) => {
		const role = tx.create(RoleSchema, {
			id: randomUUID(),
			builtInKey: null,
			audience: 'client',
			clientId: input.clientId,
			name: input.name,
			description: input.description,
			permissions,
			createdAt: new Date()
		});
		return {
			result: toView(role, 0),
			activity: {
				clientId: input.clientId,
				action: 'role.created',
				targetType: 'role',
				targetId: role.id,
				summary: `Created the role ${role.name}`,
				after: { name: role.name, description: role.description, permissions }
			},
			events: [usersChanged(input.clientId)]
		};
	}).catch(nameTakenOnRace);
}

/** Changes a custom role; every user holding it gets the new permissions on their open sessions at once. */
export async function updateRole(em: EntityManager, actor: Actor, input: UpdateRoleInput): Promise<RoleView> {
	const role = await loadCustomRole(em, input.clientId, input.roleId);
	// The whole new set must be within the editor's own permissions, kept ones included.
	const permissions = validatePermissions(actor, input.permissions);
	await assertNameFree(em, input.clientId, input.name, role.id);
	return mutate(em, actor, async (tx) => {
		const before = { name: role.name, description: role.description, permissions: [...role.permissions] };
		const holders = await tx.find(UserSchema, { clientId: input.clientId, roleId: role.id }, { fields: ['id'] });
		await tx.nativeUpdate(RoleSchema, { id: role.id }, { name: input.name, description: input.description, permissions });
		const updated: Role = { ...role, name: input.name, description: input.description, permissions };
		const diff = diffFields(before, { name: input.name, description: input.description, permissions });
		return {
			result: toView(updated, holders.length),
			activity: {
				clientId: input.clientId,
				action: 'role.updated',
				targetType: 'role',
				targetId: role.id,
				summary: `Changed the role ${updated.name}${holders.length ? ` (held by ${holders.length} user${holders.length === 1 ? '' : 's'})` : ''}`,
				before: diff?.before ?? null,
				after: diff?.after ?? null
			},
			events: accessChanged(
				input.clientId,
				holders.map((holder) => holder.id)
			)
		};
	}).catch(nameTakenOnRace);
}

/** A role still held by a user or named by an open invitation cannot be deleted. */
export async function deleteRole(em: EntityManager, actor: Actor, input: RoleTargetInput): Promise<void> {
	const role = await loadCustomRole(em, input.clientId, input.roleId);
	await mutate(em, actor, async (tx) => {
		// The role row is locked, so a user given this role meanwhile waits and then fails on the foreign key.
		await tx.execute('select id from role where id = ? for update', [role.id]);
		const users = await tx.count(UserSchema, { roleId: role.id });
		const invitations = await tx.count(InvitationSchema, { roleId: role.id, acceptedAt: null, revokedAt: null });
		if (users || invitations) {
			const uses = [users ? `${users} user${users === 1 ? '' : 's'}` : '', invitations ? `${invitations} open invitation${invitations === 1 ? '' : 's'}` : '']
				.filter(Boolean)
				.join(' and ');
			throw new AppError('CONFLICT', `The role ${role.name} is in use by ${uses}. Give them another role first.`);
		}
		await tx.nativeDelete(RoleSchema, { id: role.id });
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'role.deleted',
				targetType: 'role',
				targetId: role.id,
				summary: `Deleted the role ${role.name}`,
				before: { name: role.name, description: role.description, permissions: [...role.permissions] }
			},
			events: [usersChanged(input.clientId)]
		};
	});
}
