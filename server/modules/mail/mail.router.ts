import { z } from 'zod';
import { clientProcedure, router, staffProcedure } from '../../trpc/procedures';
import { getMailInput, listMailInput } from './mail.schemas';
import { listMailPage } from './mail.repository';
import { getMail } from './mail.service';
import { getClientMail } from './client-mail-log';
import { roomSeqs } from '../../realtime/room-seq';
import { clientRooms } from '../../realtime/room-access';

/** The staff page of sent mail: with no SMTP configured it is where a welcome link can be read. */
export const mailRouter = router({
	list: staffProcedure('mail.read')
		.input(listMailInput)
		.query(({ ctx, input }) => listMailPage(ctx.em, input)),

	get: staffProcedure('mail.read')
		.input(getMailInput)
		.query(({ ctx, input }) => getMail(ctx.em, input.id)),

	/** A client's email log (its workspace tab), newest first. */
	clientLog: clientProcedure('profile.read')
		.input(z.object({ clientId: z.uuid(), cursor: z.string().max(500).optional() }))
		.query(async ({ ctx, input }) => {
			// Staff also hear the client's staff-only room, where internal actions that send mail are announced.
			const live = await roomSeqs(ctx.em, clientRooms(ctx.actor, input.clientId));
			return { ...(await listMailPage(ctx.em, input)), live };
		}),

	clientMessage: clientProcedure('profile.read')
		.input(z.object({ clientId: z.uuid(), id: z.uuid() }))
		.query(({ ctx, input }) => getClientMail(ctx.em, ctx.actor, input.clientId, input.id))
});
