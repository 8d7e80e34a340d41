import { z } from 'zod';

const roleFields = {
	name: z.string().trim().min(2, 'Use at least 2 characters.').max(80, 'Use at most 80 characters.'),
	description: z.string().trim().max(500, 'Use at most 500 characters.').default(''),
	// Any strings: unknown and staff-only names are answered by the service with a field error that names them.
	permissions: z.array(z.string().max(80)).max(100)
};

export const createRoleInput = z.object({ clientId: z.uuid(), ...roleFields });
export type CreateRoleInput = z.infer<typeof createRoleInput>;

export const updateRoleInput = z.object({ clientId: z.uuid(), roleId: z.uuid(), ...roleFields });
export type UpdateRoleInput = z.infer<typeof updateRoleInput>;

export const roleTargetInput = z.object({ clientId: z.uuid(), roleId: z.uuid() });
export type RoleTargetInput = z.infer<typeof roleTargetInput>;
