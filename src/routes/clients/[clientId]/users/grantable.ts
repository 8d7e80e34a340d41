import type { SessionUser } from '$lib/session-user';

/**
 * Whether the signed-in user may hand out these permissions (the server enforces the same rule;
 * the page only hides what would be refused). Staff may grant any client permission.
 */
export function mayGrant(user: SessionUser | null, permissions: readonly string[]): boolean {
	if (!user) return false;
	if (user.kind !== 'client') return true;
	return permissions.every((permission) => user.permissions.includes(permission));
}
