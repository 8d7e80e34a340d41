import { clientProcedure, router } from '../../trpc/procedures';
import { createRoleInput, roleTargetInput, updateRoleInput } from './roles.schemas';
import { createRole, deleteRole, updateRole } from './roles.service';

/** Custom roles of a client (listed by users.overview). */
export const rolesRouter = router({
	create: clientProcedure('roles.manage')
		.input(createRoleInput)
		.mutation(({ ctx, input }) => createRole(ctx.em, ctx.actor, input)),

	update: clientProcedure('roles.manage')
		.input(updateRoleInput)
		.mutation(({ ctx, input }) => updateRole(ctx.em, ctx.actor, input)),

	delete: clientProcedure('roles.manage')
		.input(roleTargetInput)
		.mutation(({ ctx, input }) => deleteRole(ctx.em, ctx.actor, input))
});
