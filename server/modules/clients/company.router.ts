import { clientProcedure, router } from '../../trpc/procedures';
import { profileInput } from './profile.schemas';
import { updateCompanyInput } from './company.schemas';
import { getCompany, updateCompany } from './company.service';
import { roomSeqs } from '../../realtime/room-seq';

/** Company Details: what invoices are addressed to. */
export const companyRouter = router({
	get: clientProcedure('company.read')
		.input(profileInput)
		.query(async ({ ctx, input }) => {
			const live = await roomSeqs(ctx.em, [`client:${input.clientId}`]);
			return { company: await getCompany(ctx.em, ctx.actor, input.clientId), live };
		}),

	update: clientProcedure('company.update')
		.input(updateCompanyInput)
		.mutation(({ ctx, input }) => updateCompany(ctx.em, ctx.actor, input))
});
