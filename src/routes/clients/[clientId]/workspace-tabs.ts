import { hasPermission, type SessionUser } from '$lib/session-user';

export interface WorkspaceTab {
	/** The URL segment under /clients/<id>/ and the route folder name. */
	slug: string;
	/** The tab name from features.md: it is the link's accessible name. */
	label: string;
	/** The read permission of the tab's module; users without it never see the tab. */
	permission: string;
}

/** Only tabs whose module exists are listed: a later tab is one line here plus its route folder. */
export const WORKSPACE_TABS: readonly WorkspaceTab[] = [
	{ slug: 'summary', label: 'Summary', permission: 'summary.read' },
	{ slug: 'personal', label: 'Personal Details', permission: 'profile.read' },
	{ slug: 'company', label: 'Company Details', permission: 'company.read' },
	{ slug: 'authentication', label: 'Authentication', permission: 'auth.read' },
	{ slug: 'users', label: 'Users', permission: 'users.read' },
	{ slug: 'subscriptions', label: 'Subscriptions', permission: 'subscriptions.read' },
	{ slug: 'billing', label: 'Billing Setup', permission: 'billing.read' },
	{ slug: 'transactions', label: 'Transactions', permission: 'transactions.read' },
	{ slug: 'disciplinary', label: 'Disciplinary', permission: 'disciplinary.read' },
	{ slug: 'activity', label: 'Activity', permission: 'activity.read' },
	{ slug: 'emails', label: 'Emails', permission: 'profile.read' }
];

export const visibleTabs = (user: SessionUser | null) => WORKSPACE_TABS.filter((tab) => hasPermission(user, tab.permission));
