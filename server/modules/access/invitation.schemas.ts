import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from './password-token.service';

export const createInvitationInput = z.object({
	clientId: z.uuid(),
	email: z.string().trim().pipe(z.email('Enter a valid email address.').max(320, 'Use at most 320 characters.')),
	roleId: z.uuid({ message: 'Choose a role.' })
});
export type CreateInvitationInput = z.infer<typeof createInvitationInput>;

export const invitationTargetInput = z.object({ clientId: z.uuid(), invitationId: z.uuid() });
export type InvitationTargetInput = z.infer<typeof invitationTargetInput>;

// Generous bound: a malformed token is answered "not valid" by the service, not by a schema error.
const token = z.string().max(200);

export const invitationStatusInput = z.object({ token });

export const acceptInvitationInput = z.object({
	token,
	name: z.string().trim().min(2, 'Enter your name (at least 2 characters).').max(200, 'Use at most 200 characters.'),
	password: z.string().min(1, 'Choose a password.').max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInput>;
