import { clientProcedure, publicProcedure, router } from '../../trpc/procedures';
import { acceptInvitationInput, createInvitationInput, invitationStatusInput, invitationTargetInput } from './invitation.schemas';
import { acceptInvitation, createInvitation, invitationStatus, resendInvitation, revokeInvitation } from './invitation.service';

/** Inviting sub-users (the account's side) and accepting an invitation (signed out, from the mailed link). */
export const invitationRouter = router({
	create: clientProcedure('users.manage')
		.input(createInvitationInput)
		.mutation(({ ctx, input }) => createInvitation(ctx.em, ctx.actor, input, { mailer: ctx.deps.mailer })),

	resend: clientProcedure('users.manage')
		.input(invitationTargetInput)
		.mutation(({ ctx, input }) => resendInvitation(ctx.em, ctx.actor, input, { mailer: ctx.deps.mailer })),

	revoke: clientProcedure('users.manage')
		.input(invitationTargetInput)
		.mutation(({ ctx, input }) => revokeInvitation(ctx.em, ctx.actor, input)),

	status: publicProcedure.input(invitationStatusInput).query(({ ctx, input }) => invitationStatus(ctx.em, input.token)),

	accept: publicProcedure.input(acceptInvitationInput).mutation(async ({ ctx, input }) => {
		const { email } = await acceptInvitation(ctx.em, input, ctx.request);
		return { email };
	})
});
