import { z } from 'zod';

export const listUsersInput = z.object({ clientId: z.uuid(), cursor: z.string().max(500).optional() });
export type ListUsersInput = z.infer<typeof listUsersInput>;

export const userTargetInput = z.object({ clientId: z.uuid(), userId: z.uuid() });
export type UserTargetInput = z.infer<typeof userTargetInput>;

export const assignRoleInput = z.object({
	clientId: z.uuid(),
	userId: z.uuid(),
	roleId: z.uuid({ message: 'Choose a role.' })
});
export type AssignRoleInput = z.infer<typeof assignRoleInput>;
