import { CLIENT_GRANTABLE_PERMISSIONS, PERMISSION_CATALOGUE, type Permission } from '../../auth/permissions';

export interface PermissionGroup {
	area: string;
	label: string;
	permissions: { key: Permission; label: string }[];
}

type AreaDefinition = { label: string; permissions: Record<string, { label: string; audience: 'staff' | 'any' }> };
const AREAS = Object.entries(PERMISSION_CATALOGUE as Record<string, AreaDefinition>);

/** The given permissions in catalogue order, grouped by area with their human labels; empty areas left out. */
export function groupPermissions(permissions: Iterable<string>): PermissionGroup[] {
	const held = new Set(permissions);
	return AREAS.map(([area, definition]) => ({
		area,
		label: definition.label,
		permissions: Object.entries(definition.permissions)
			.filter(([key]) => held.has(key))
			.map(([key, permission]) => ({ key: key as Permission, label: permission.label }))
	})).filter((group) => group.permissions.length > 0);
}

/** What a client role may be built from, grouped by area: the permissions with audience 'any'. */
export const CLIENT_ROLE_CATALOGUE: readonly PermissionGroup[] = groupPermissions(CLIENT_GRANTABLE_PERMISSIONS);

export const isClientGrantable = (permission: string): permission is Permission =>
	(CLIENT_GRANTABLE_PERMISSIONS as readonly string[]).includes(permission);
