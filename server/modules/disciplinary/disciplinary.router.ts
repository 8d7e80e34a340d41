import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { clientProcedure, router } from '../../trpc/procedures';
import { can } from '../../auth/actor';
import { createDisciplinaryInput, liftDisciplinaryInput } from './disciplinary.schemas';
import { createDisciplinaryAction, liftDisciplinaryAction, listDisciplinaryActions } from './disciplinary.service';

/**
 * Acting on a client is for staff only, whatever a client role might hold (the permission is
 * staff-audience, but the check does not rely on that). Refused as NOT_FOUND, like every
 * forbidden object.
 */
const staffManage = () =>
	clientProcedure('disciplinary.manage').use(({ ctx, next }) => {
		if (ctx.actor.kind !== 'staff') throw new TRPCError({ code: 'NOT_FOUND', message: 'That item was not found.' });
		return next();
	});

export const disciplinaryRouter = router({
	list: clientProcedure('disciplinary.read')
		.input(z.object({ clientId: z.uuid() }))
		// Kept live by the workspace layout, which reloads on `disciplinary.changed` in the client room.
		.query(async ({ ctx, input }) => ({
			actions: await listDisciplinaryActions(ctx.em, ctx.actor, input.clientId),
			canManage: ctx.actor.kind === 'staff' && can(ctx.actor, 'disciplinary.manage')
		})),

	create: staffManage()
		.input(createDisciplinaryInput)
		.mutation(({ ctx, input }) => createDisciplinaryAction(ctx.em, ctx.actor, input)),

	lift: staffManage()
		.input(liftDisciplinaryInput)
		.mutation(({ ctx, input }) => liftDisciplinaryAction(ctx.em, ctx.actor, input))
});
