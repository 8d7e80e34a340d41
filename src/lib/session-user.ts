/** The signed-in user as the pages see it (from the root layout). */
export interface SessionUser {
	userId: string | null;
	name: string;
	email: string | null;
	kind: 'staff' | 'client' | 'system';
	clientId: string | null;
	roleName: string;
	permissions: string[];
	impersonator: { userId: string; name: string } | null;
}

export const hasPermission = (user: SessionUser | null, permission: string) => !!user?.permissions.includes(permission);
