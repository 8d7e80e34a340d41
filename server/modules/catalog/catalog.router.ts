import { z } from 'zod';
import { router, staffProcedure } from '../../trpc/procedures';
import { listProductsInput, productInput, updateProductInput } from './catalog.schemas';
import { createProduct, getProduct, listProducts, updateProduct } from './catalog.service';
import { roomSeqs } from '../../realtime/room-seq';

/** The product catalogue: a staff setting (catalog.manage). */
export const catalogRouter = router({
	list: staffProcedure('catalog.manage')
		.input(listProductsInput)
		// Live through the staff room, where every catalogue change is announced as `catalog.changed`.
		.query(async ({ ctx, input }) => ({ products: await listProducts(ctx.em, input), live: await roomSeqs(ctx.em, ['staff']) })),

	get: staffProcedure('catalog.manage')
		.input(z.object({ id: z.uuid() }))
		.query(({ ctx, input }) => getProduct(ctx.em, input.id)),

	create: staffProcedure('catalog.manage')
		.input(productInput)
		.mutation(({ ctx, input }) => createProduct(ctx.em, ctx.actor, input)),

	update: staffProcedure('catalog.manage')
		.input(updateProductInput)
		.mutation(({ ctx, input }) => updateProduct(ctx.em, ctx.actor, input))
});
