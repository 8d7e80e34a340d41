import { TRPCError } from '@trpc/server';
import { can } from '../../auth/actor';
import { clientProcedure, router } from '../../trpc/procedures';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';
import { listLedgerPage } from './ledger.repository';
import { adjustBalance, buyCredits, creditBalance, recordOfflinePayment, refundEntry } from './ledger.service';
import { adjustmentInput, buyCreditsInput, ledgerListInput, offlinePaymentInput, refundInput } from './ledger.schemas';

/** Staff-only actions: refused as NOT_FOUND for client users whatever their role holds. */
const staffManage = () =>
	clientProcedure('transactions.manage').use(({ ctx, next }) => {
		if (ctx.actor.kind !== 'staff') throw new TRPCError({ code: 'NOT_FOUND', message: 'That item was not found.' });
		return next();
	});

export const ledgerRouter = router({
	/** Tab 12: the balance, one page of entries and the seqs the page follows for `ledger.changed`. */
	list: clientProcedure('transactions.read')
		.input(ledgerListInput)
		.query(async ({ ctx, input }) => {
			const live = await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			const [page, balance] = await Promise.all([listLedgerPage(ctx.em.fork(), input), creditBalance(ctx.em.fork(), ctx.client)]);
			return {
				...page,
				balance,
				currency: ctx.client.currency,
				canBuy: can(ctx.actor, 'transactions.buy'),
				canManage: ctx.actor.kind === 'staff' && can(ctx.actor, 'transactions.manage'),
				live
			};
		}),

	buy: clientProcedure('transactions.buy')
		.input(buyCreditsInput)
		.mutation(({ ctx, input }) => buyCredits(ctx.em, ctx.actor, input)),

	recordPayment: staffManage()
		.input(offlinePaymentInput)
		.mutation(({ ctx, input }) => recordOfflinePayment(ctx.em, ctx.actor, input)),

	adjust: staffManage()
		.input(adjustmentInput)
		.mutation(({ ctx, input }) => adjustBalance(ctx.em, ctx.actor, input)),

	refund: staffManage()
		.input(refundInput)
		.mutation(({ ctx, input }) => refundEntry(ctx.em, ctx.actor, input))
});
