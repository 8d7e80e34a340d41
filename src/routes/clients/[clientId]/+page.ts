import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { WORKSPACE_TABS } from './workspace-tabs';

/** The workspace opens on its first tab. */
export const load: PageLoad = ({ params }) => {
	redirect(307, `/clients/${params.clientId}/${WORKSPACE_TABS[0].slug}`);
};
