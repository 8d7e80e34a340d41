import { clientProcedure, router } from '../../trpc/procedures';
import { activityFacetsInput, listActivityInput } from './activity.schemas';
import { listActivity, listActivityFacets } from './activity.service';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';

export const activityRouter = router({
	/** One page of a client's log; the first page also carries the room seqs for the live feed. */
	list: clientProcedure('activity.read')
		.input(listActivityInput)
		.query(async ({ ctx, input }) => {
			// Read before the page, so the live subscription replays anything committed in between.
			const live = input.cursor ? null : await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			const page = await listActivity(ctx.em, ctx.actor, input);
			return { ...page, live };
		}),

	facets: clientProcedure('activity.read')
		.input(activityFacetsInput)
		.query(({ ctx, input }) => listActivityFacets(ctx.em, ctx.actor, input.clientId))
});
