import { TRPCError } from '@trpc/server';
import { clientProcedure, router } from '../../trpc/procedures';
import { can } from '../../auth/actor';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';
import {
	cancelSubscriptionInput,
	changePlanInput,
	confirmChangeInput,
	createSubscriptionInput,
	listSubscriptionsInput,
	subscriptionRef
} from './subscription.schemas';
import { cancelSubscription, confirmChange, createSubscription, previewChange, resumeSubscription, suspendSubscription } from './subscription.service';
import { listSubscriptions, subscriptionOptions } from './subscription.queries';

/** Suspending, resuming and cancelling at once are staff decisions; NOT_FOUND like every refusal. */
const staffManage = () =>
	clientProcedure('subscriptions.manage').use(({ ctx, next }) => {
		if (ctx.actor.kind !== 'staff') throw new TRPCError({ code: 'NOT_FOUND', message: 'That item was not found.' });
		return next();
	});

export const subscriptionsRouter = router({
	/** Live: the page reloads on `subscriptions.changed` in the client's room. */
	list: clientProcedure('subscriptions.read')
		.input(listSubscriptionsInput)
		.query(async ({ ctx, input }) => ({
			...(await listSubscriptions(ctx.em, input)),
			canManage: can(ctx.actor, 'subscriptions.manage'),
			isStaff: ctx.actor.kind === 'staff',
			live: await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId))
		})),

	/** Plans the client can subscribe to, priced in its currency. */
	options: clientProcedure('subscriptions.read')
		.input(subscriptionRef.pick({ clientId: true }))
		.query(({ ctx }) => subscriptionOptions(ctx.em, ctx.client.currency)),

	create: clientProcedure('subscriptions.manage')
		.input(createSubscriptionInput)
		.mutation(({ ctx, input }) => createSubscription(ctx.em, ctx.actor, input)),

	previewChange: clientProcedure('subscriptions.manage')
		.input(changePlanInput)
		.query(({ ctx, input }) => previewChange(ctx.em, input)),

	confirmChange: clientProcedure('subscriptions.manage')
		.input(confirmChangeInput)
		.mutation(({ ctx, input }) => confirmChange(ctx.em, ctx.actor, input)),

	cancel: clientProcedure('subscriptions.manage')
		.input(cancelSubscriptionInput)
		.mutation(({ ctx, input }) => {
			if (input.when === 'now' && ctx.actor.kind !== 'staff') throw new TRPCError({ code: 'NOT_FOUND', message: 'That item was not found.' });
			return cancelSubscription(ctx.em, ctx.actor, input);
		}),

	suspend: staffManage()
		.input(subscriptionRef)
		.mutation(({ ctx, input }) => suspendSubscription(ctx.em, ctx.actor, input.clientId, input.subscriptionId)),

	/** Resumes a suspension (staff) — or takes back a pending cancellation (anyone who may manage). */
	resume: clientProcedure('subscriptions.manage')
		.input(subscriptionRef)
		.mutation(({ ctx, input }) => resumeSubscription(ctx.em, ctx.actor, input.clientId, input.subscriptionId))
});
