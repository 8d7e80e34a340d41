import { clientProcedure, router } from '../../trpc/procedures';
import { billingSettingsInput, updateBillingSettingsInput } from './billing-settings.schemas';
import { getBillingSettings, updateBillingSettings } from './billing-settings.service';
import { listBudgetAlerts } from './budget.service';
import { periodOf } from './budget.rules';
import { roomSeqs } from '../../realtime/room-seq';

/** Billing Setup (tab 10): settings, budget and the alerts fired this month. */
export const billingSettingsRouter = router({
	get: clientProcedure('billing.read')
		.input(billingSettingsInput)
		.query(async ({ ctx, input }) => {
			const live = await roomSeqs(ctx.em, [`client:${input.clientId}`]);
			const period = periodOf(new Date());
			const settings = await getBillingSettings(ctx.em, ctx.actor, input.clientId);
			return { settings, period, alerts: await listBudgetAlerts(ctx.em, ctx.actor, input.clientId, period), live };
		}),

	update: clientProcedure('billing.manage')
		.input(updateBillingSettingsInput)
		.mutation(({ ctx, input }) => updateBillingSettings(ctx.em, ctx.actor, input))
});
