import { clientProcedure, router } from '../../trpc/procedures';
import { confirmEmailChangeInput, profileInput, requestEmailChangeInput, updateProfileInput } from './profile.schemas';
import { getProfile, updateProfile } from './profile.service';
import { cancelEmailChange, confirmEmailChange, requestEmailChange } from './profile-email-change.service';
import { roomSeqs } from '../../realtime/room-seq';

/** Personal Details: the account's contact record and its email change by code. */
export const profileRouter = router({
	get: clientProcedure('profile.read')
		.input(profileInput)
		.query(async ({ ctx, input }) => {
			// Read before the data, so the page's subscription replays anything committed meanwhile.
			const live = await roomSeqs(ctx.em, [`client:${input.clientId}`]);
			return { profile: await getProfile(ctx.em, ctx.actor, input.clientId), live };
		}),

	update: clientProcedure('profile.update')
		.input(updateProfileInput)
		.mutation(({ ctx, input }) => updateProfile(ctx.em, ctx.actor, input)),

	requestEmailChange: clientProcedure('profile.update')
		.input(requestEmailChangeInput)
		.mutation(({ ctx, input }) => requestEmailChange(ctx.em, ctx.actor, input, ctx.deps.mailer)),

	confirmEmailChange: clientProcedure('profile.update')
		.input(confirmEmailChangeInput)
		.mutation(({ ctx, input }) => confirmEmailChange(ctx.em, ctx.actor, input)),

	cancelEmailChange: clientProcedure('profile.update')
		.input(profileInput)
		.mutation(({ ctx, input }) => cancelEmailChange(ctx.em, ctx.actor, input.clientId))
});
