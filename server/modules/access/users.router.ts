import { clientProcedure, router } from '../../trpc/procedures';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';
import { assignRoleInput, listUsersInput, userTargetInput } from './users.schemas';
import { assignRole, deactivateUser, getUser, listUsers, reactivateUser } from './users.service';
import { listRoles } from './roles.service';
import { listOpenInvitations } from './invitation.service';
import { CLIENT_ROLE_CATALOGUE } from './roles.catalogue';

/** The Users tab: the client's users, open invitations and roles. */
export const usersRouter = router({
	overview: clientProcedure('users.read')
		.input(listUsersInput)
		.query(async ({ ctx, input }) => {
			// Read before the data, so the page's subscription replays anything committed meanwhile.
			const live = await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			const [page, invitations, roles] = await Promise.all([
				listUsers(ctx.em.fork(), input),
				listOpenInvitations(ctx.em.fork(), input.clientId),
				listRoles(ctx.em.fork(), input.clientId)
			]);
			return { ...page, invitations, roles, catalogue: CLIENT_ROLE_CATALOGUE, live };
		}),

	get: clientProcedure('users.read')
		.input(userTargetInput)
		.query(async ({ ctx, input }) => {
			const live = await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			const [user, roles] = await Promise.all([getUser(ctx.em.fork(), input), listRoles(ctx.em.fork(), input.clientId)]);
			return { user, roles, live };
		}),

	deactivate: clientProcedure('users.manage')
		.input(userTargetInput)
		.mutation(({ ctx, input }) => deactivateUser(ctx.em, ctx.actor, input)),

	reactivate: clientProcedure('users.manage')
		.input(userTargetInput)
		.mutation(({ ctx, input }) => reactivateUser(ctx.em, ctx.actor, input)),

	assignRole: clientProcedure('users.manage')
		.input(assignRoleInput)
		.mutation(({ ctx, input }) => assignRole(ctx.em, ctx.actor, input))
});
