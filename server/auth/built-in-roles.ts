import { ALL_PERMISSIONS, CLIENT_GRANTABLE_PERMISSIONS, type Permission } from './permissions';

export interface BuiltInRole {
	key: string;
	name: string;
	audience: 'staff' | 'client';
	description: string;
	permissions: readonly Permission[];
}

const readAccount: Permission[] = [
	'clients.read',
	'summary.read',
	'profile.read',
	'company.read',
	'auth.read',
	'users.read',
	'subscriptions.read',
	'resources.read',
	'imports.read',
	'quotas.read',
	'billing.read',
	'invoices.read',
	'transactions.read',
	'disciplinary.read',
	'orders.read',
	'services.read',
	'activity.read',
	'tickets.read',
	'cancellations.read'
];

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
	{
		key: 'super_admin',
		name: 'Super admin',
		audience: 'staff',
		description: 'Every permission on every client and the platform.',
		permissions: ALL_PERMISSIONS
	},
	{
		key: 'support_agent',
		name: 'Support agent',
		audience: 'staff',
		description: 'Handles tickets and service records; reads every account; may sign in as a client user.',
		permissions: [
			...readAccount,
			'clients.impersonate',
			'tickets.create',
			'tickets.reply',
			'tickets.note',
			'tickets.manage',
			'services.manage',
			'resources.operate',
			'noc.view'
		]
	},
	{
		key: 'billing_staff',
		name: 'Billing staff',
		audience: 'staff',
		description: 'Clients, subscriptions, invoices, credits, quotas, disciplinary actions and cancellations.',
		permissions: [
			...readAccount,
			'clients.create',
			'clients.status',
			'company.update',
			'subscriptions.manage',
			'billing.manage',
			'invoices.pay',
			'invoices.manage',
			'transactions.buy',
			'transactions.manage',
			'quotas.manage',
			'disciplinary.manage',
			'orders.manage',
			'cancellations.manage',
			'activity.export',
			'catalog.manage'
		]
	},
	{
		key: 'noc_viewer',
		name: 'NOC viewer',
		audience: 'staff',
		description: 'Sees the NOC wall screen only.',
		permissions: ['noc.view']
	},
	{
		key: 'owner',
		name: 'Owner',
		audience: 'client',
		description: 'The account owner: every permission a client can hold.',
		permissions: CLIENT_GRANTABLE_PERMISSIONS
	}
];
