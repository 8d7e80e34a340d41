import { authenticatedProcedure, clientProcedure, router } from '../../trpc/procedures';
import {
	changePasswordInput,
	clientInput,
	clientUserInput,
	clientUserReasonInput,
	failedLoginsInput,
	otpRecordsInput,
	passwordInput,
	passwordStrengthInput,
	revokeSessionInput,
	totpCodeInput
} from './authentication.schemas';
import { listAuthUsers, listFailedLogins, listOtpRecords, sendPasswordResetLink } from './authentication.service';
import { listClientSessions, listOwnSessions, revokeOtherOwnSessions, revokeOwnSession, revokeSession } from './authentication.sessions';
import { UserSchema } from './user.entity';
import { changeOwnPassword } from '../../auth/password-change.service';
import { passwordStrength } from '../../auth/password-change.strength';
import { confirmTotpEnrolment, disableOwnTotp, resetTotpByStaff, startTotpEnrolment, totpStatus } from '../../auth/totp.service';
import { blockUser, unblockUser, unlockUser } from '../../auth/user-blocking.service';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';
import { can } from '../../auth/actor';

/**
 * Tab 4, Authentication. Reading needs auth.read on the client; blocking, unlocking, two-factor
 * resets and reset links are staff work (auth.manage, a staff-only permission). Everyone manages
 * their own password, two-factor and sessions through the `me*` procedures.
 */
export const authenticationRouter = router({
	/** Users, sessions and the viewer's own security state, with the room seqs the page subscribes from. */
	overview: clientProcedure('auth.read')
		.input(clientInput)
		.query(async ({ ctx, input }) => {
			const live = await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			const [users, sessions] = await Promise.all([
				listAuthUsers(ctx.em.fork(), ctx.actor, input.clientId),
				listClientSessions(ctx.em.fork(), ctx.actor, input.clientId)
			]);
			return {
				live,
				users,
				sessions,
				canManage: ctx.actor.kind === 'staff' && can(ctx.actor, 'auth.manage'),
				viewerIsClientUser: ctx.actor.clientId === input.clientId && !ctx.actor.impersonator
			};
		}),

	otpRecords: clientProcedure('auth.read')
		.input(otpRecordsInput)
		.query(({ ctx, input }) => listOtpRecords(ctx.em, input)),

	failedLogins: clientProcedure('auth.read')
		.input(failedLoginsInput)
		.query(({ ctx, input }) => listFailedLogins(ctx.em, input)),

	/** Staff end any session of the client's users; a user may end their own. */
	revokeSession: clientProcedure('auth.read')
		.input(revokeSessionInput)
		.mutation(({ ctx, input }) => revokeSession(ctx.em, ctx.actor, input)),

	block: clientProcedure('auth.manage')
		.input(clientUserReasonInput)
		.mutation(({ ctx, input }) => blockUser(ctx.em, ctx.actor, input)),

	unblock: clientProcedure('auth.manage')
		.input(clientUserReasonInput)
		.mutation(({ ctx, input }) => unblockUser(ctx.em, ctx.actor, input)),

	unlock: clientProcedure('auth.manage')
		.input(clientUserInput)
		.mutation(({ ctx, input }) => unlockUser(ctx.em, ctx.actor, ctx.deps.loginGuard, input)),

	resetTotp: clientProcedure('auth.manage')
		.input(clientUserReasonInput)
		.mutation(({ ctx, input }) => resetTotpByStaff(ctx.em, ctx.actor, input)),

	sendResetLink: clientProcedure('auth.manage')
		.input(clientUserInput)
		.mutation(({ ctx, input }) => sendPasswordResetLink(ctx.em, ctx.actor, input, { mailer: ctx.deps.mailer })),

	/** The signed-in user's own security page. */
	me: authenticatedProcedure.query(async ({ ctx }) => {
		const userId = ctx.actor.userId!;
		const user = await ctx.em.findOneOrFail(UserSchema, { id: userId }, { fields: ['id', 'name', 'email', 'clientId'] });
		return {
			user: { id: user.id, name: user.name, email: user.email, clientId: user.clientId ?? null },
			impersonated: !!ctx.actor.impersonator,
			live: await roomSeqs(ctx.em, [`user:${userId}`]),
			totp: await totpStatus(ctx.em, userId),
			sessions: await listOwnSessions(ctx.em, ctx.actor)
		};
	}),

	/**
	 * Scores a candidate password as the user types. A mutation (POST) on purpose: the candidate
	 * never lands in a URL, a history entry or an access log.
	 */
	mePasswordStrength: authenticatedProcedure.input(passwordStrengthInput).mutation(async ({ ctx, input }) => {
		const user = await ctx.em.findOneOrFail(UserSchema, { id: ctx.actor.userId! }, { fields: ['email', 'name'] });
		const { score, label, acceptable, problem, warning, suggestions } = passwordStrength(input.password, user);
		return { score, label, acceptable, problem, warning, suggestions };
	}),

	meChangePassword: authenticatedProcedure
		.input(changePasswordInput)
		.mutation(({ ctx, input }) => changeOwnPassword(ctx.em, ctx.actor, input, { mailer: ctx.deps.mailer })),

	meStartTotp: authenticatedProcedure.mutation(({ ctx }) => startTotpEnrolment(ctx.em, ctx.actor)),

	meConfirmTotp: authenticatedProcedure.input(totpCodeInput).mutation(({ ctx, input }) => confirmTotpEnrolment(ctx.em, ctx.actor, input.code)),

	meDisableTotp: authenticatedProcedure.input(passwordInput).mutation(({ ctx, input }) => disableOwnTotp(ctx.em, ctx.actor, input.password)),

	meRevokeSession: authenticatedProcedure
		.input(revokeSessionInput.pick({ sessionId: true }))
		.mutation(({ ctx, input }) => revokeOwnSession(ctx.em, ctx.actor, input.sessionId)),

	meRevokeOtherSessions: authenticatedProcedure.mutation(({ ctx }) => revokeOtherOwnSessions(ctx.em, ctx.actor))
});
