import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { t, toTRPCError } from './init';
import { can, canReachClient, type Actor } from '../auth/actor';
import type { Permission } from '../auth/permissions';
import { ClientSchema } from '../modules/clients/client.entity';

const hidden = () => new TRPCError({ code: 'NOT_FOUND', message: 'That item was not found.' });

/** Maps AppError from services to tRPC codes in one place. */
const mapErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok) {
		const mapped = toTRPCError(result.error.cause ?? result.error);
		if (mapped instanceof TRPCError) throw mapped;
	}
	return result;
});

const base = t.procedure.use(mapErrors);

const requireActor = t.middleware(({ ctx, next }) => {
	if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
	return next({ ctx: { ...ctx, actor: ctx.actor as Actor } });
});

export const publicProcedure = base.meta({ scope: 'public', permission: null });

export const authenticatedProcedure = base.meta({ scope: 'authenticated', permission: null }).use(requireActor);

export function staffProcedure(permission: Permission) {
	return base
		.meta({ scope: 'staff', permission })
		.use(requireActor)
		.use(({ ctx, next }) => {
			if (ctx.actor.kind !== 'staff' || !can(ctx.actor, permission)) throw hidden();
			return next();
		});
}

const clientIdInput = z.object({ clientId: z.uuid() });

/**
 * A procedure on one client's data. The tenant check reads `clientId` from the raw input before
 * validation, so a foreign or unknown client is NOT_FOUND whatever else the input holds.
 */
export function clientProcedure(permission: Permission) {
	return base
		.meta({ scope: 'client', permission })
		.use(requireActor)
		.use(async ({ ctx, next, getRawInput }) => {
			const parsed = clientIdInput.safeParse(await getRawInput());
			if (!parsed.success) throw hidden();
			const { clientId } = parsed.data;
			if (!can(ctx.actor, permission) || !canReachClient(ctx.actor, clientId)) throw hidden();
			const client = await ctx.em.findOne(ClientSchema, { id: clientId });
			if (!client) throw hidden();
			return next({ ctx: { ...ctx, client } });
		});
}

export const router = t.router;
