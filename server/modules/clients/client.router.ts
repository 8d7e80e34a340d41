import { z } from 'zod';
import { clientProcedure, router, staffProcedure } from '../../trpc/procedures';
import { createClientInput, listClientsInput, setClientStatusInput } from './client.schemas';
import { createClient, listClients, setClientStatus, toClientHeader } from './client.service';
import { recentActivity } from '../activity/activity.service';
import { UserSchema } from '../access/user.entity';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';
import { disciplinaryBanner } from '../disciplinary/disciplinary.service';

export const clientRouter = router({
	list: staffProcedure('clients.read')
		.input(listClientsInput)
		.query(({ ctx, input }) => listClients(ctx.em, input)),

	create: staffProcedure('clients.create')
		.input(createClientInput)
		.mutation(({ ctx, input }) => createClient(ctx.em, ctx.actor, input, { mailer: ctx.deps.mailer })),

	/**
	 * The workspace header every tab shows, with the disciplinary banner (actions in force) and
	 * the client room's seq, so the layout keeps both live.
	 */
	header: clientProcedure('summary.read')
		.input(z.object({ clientId: z.uuid() }))
		.query(async ({ ctx, input }) => {
			const live = await roomSeqs(ctx.em, [`client:${input.clientId}`]);
			const restrictions = await disciplinaryBanner(ctx.em, input.clientId);
			return { ...toClientHeader(ctx.client), restrictions, live };
		}),

	summary: clientProcedure('summary.read')
		.input(z.object({ clientId: z.uuid() }))
		.query(async ({ ctx, input }) => {
			// Read before the data, so the page's subscription replays anything committed meanwhile.
			const live = await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			const [activity, users] = await Promise.all([
				recentActivity(ctx.em.fork(), ctx.actor, input.clientId, 10),
				ctx.actor.kind === 'staff'
					? ctx.em.fork().find(UserSchema, { clientId: input.clientId }, { orderBy: { createdAt: 'asc' }, fields: ['id', 'name', 'email', 'active', 'blockedAt'] })
					: Promise.resolve([])
			]);
			return {
				client: toClientHeader(ctx.client),
				activity,
				live,
				users: users.map((user) => ({ id: user.id, name: user.name, email: user.email, active: user.active && !user.blockedAt }))
			};
		}),

	setStatus: clientProcedure('clients.status')
		.input(setClientStatusInput)
		.mutation(({ ctx, input }) => setClientStatus(ctx.em, ctx.actor, input))
});
