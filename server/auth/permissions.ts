/**
 * The permission catalogue for every tab and staff surface, grouped by area.
 * `audience: 'staff'` permissions can never be granted to a client role.
 */
export const PERMISSION_CATALOGUE = {
	clients: {
		label: 'Clients (staff)',
		permissions: {
			'clients.read': { label: 'See client accounts', audience: 'staff' },
			'clients.create': { label: 'Create clients', audience: 'staff' },
			'clients.status': { label: 'Change a client status', audience: 'staff' },
			'clients.impersonate': { label: 'Sign in as a client user', audience: 'staff' }
		}
	},
	summary: { label: 'Summary', permissions: { 'summary.read': { label: 'See the account summary', audience: 'any' } } },
	profile: {
		label: 'Personal details',
		permissions: {
			'profile.read': { label: 'See personal details', audience: 'any' },
			'profile.update': { label: 'Edit personal details', audience: 'any' }
		}
	},
	company: {
		label: 'Company details',
		permissions: {
			'company.read': { label: 'See company details', audience: 'any' },
			'company.update': { label: 'Edit company details', audience: 'any' }
		}
	},
	authentication: {
		label: 'Authentication',
		permissions: {
			'auth.read': { label: 'See sign-in records and sessions', audience: 'any' },
			'auth.manage': { label: 'Block users, reset two-factor, send reset links', audience: 'staff' }
		}
	},
	users: {
		label: 'Users and roles',
		permissions: {
			'users.read': { label: 'See users and roles', audience: 'any' },
			'users.manage': { label: 'Invite, deactivate and assign roles', audience: 'any' },
			'roles.manage': { label: 'Create and edit custom roles', audience: 'any' }
		}
	},
	subscriptions: {
		label: 'Subscriptions',
		permissions: {
			'subscriptions.read': { label: 'See subscriptions', audience: 'any' },
			'subscriptions.manage': { label: 'Create, change and cancel subscriptions', audience: 'any' }
		}
	},
	resources: {
		label: 'Resources',
		permissions: {
			'resources.read': { label: 'See resources', audience: 'any' },
			'resources.operate': { label: 'Start, stop and reboot resources', audience: 'any' },
			'resources.delete': { label: 'Delete resources', audience: 'any' }
		}
	},
	imports: {
		label: 'VM imports',
		permissions: {
			'imports.read': { label: 'See VM imports', audience: 'any' },
			'imports.create': { label: 'Start, cancel and retry VM imports', audience: 'any' }
		}
	},
	quotas: {
		label: 'Quota',
		permissions: {
			'quotas.read': { label: 'See quotas', audience: 'any' },
			'quotas.request': { label: 'Request a quota increase', audience: 'any' },
			'quotas.manage': { label: 'Change limits and decide requests', audience: 'staff' }
		}
	},
	billing: {
		label: 'Billing setup',
		permissions: {
			'billing.read': { label: 'See billing setup', audience: 'any' },
			'billing.manage': { label: 'Change billing setup and budgets', audience: 'any' }
		}
	},
	invoices: {
		label: 'Invoices',
		permissions: {
			'invoices.read': { label: 'See and download invoices', audience: 'any' },
			'invoices.pay': { label: 'Pay invoices and apply credit', audience: 'any' },
			'invoices.manage': { label: 'Issue, void and refund invoices', audience: 'staff' }
		}
	},
	transactions: {
		label: 'Transactions',
		permissions: {
			'transactions.read': { label: 'See transactions', audience: 'any' },
			'transactions.buy': { label: 'Buy credits', audience: 'any' },
			'transactions.manage': { label: 'Record payments, refunds and adjustments', audience: 'staff' }
		}
	},
	disciplinary: {
		label: 'Disciplinary',
		permissions: {
			'disciplinary.read': { label: 'See disciplinary actions', audience: 'any' },
			'disciplinary.manage': { label: 'Warn, restrict, suspend and terminate', audience: 'staff' }
		}
	},
	orders: {
		label: 'Orders',
		permissions: {
			'orders.read': { label: 'See orders', audience: 'any' },
			'orders.place': { label: 'Place orders', audience: 'any' },
			'orders.manage': { label: 'Approve and cancel orders', audience: 'staff' }
		}
	},
	services: {
		label: 'Customer services',
		permissions: {
			'services.read': { label: 'See service records', audience: 'any' },
			'services.manage': { label: 'Create and update service records', audience: 'staff' }
		}
	},
	activity: {
		label: 'Activity',
		permissions: {
			'activity.read': { label: 'See the activity log', audience: 'any' },
			'activity.export': { label: 'Export the activity log', audience: 'any' }
		}
	},
	tickets: {
		label: 'Support tickets',
		permissions: {
			'tickets.read': { label: 'See tickets', audience: 'any' },
			'tickets.create': { label: 'Open tickets', audience: 'any' },
			'tickets.reply': { label: 'Reply to tickets', audience: 'any' },
			'tickets.note': { label: 'Write internal notes', audience: 'staff' },
			'tickets.manage': { label: 'Assign, merge and close any ticket', audience: 'staff' }
		}
	},
	cancellations: {
		label: 'Cancellation requests',
		permissions: {
			'cancellations.read': { label: 'See cancellation requests', audience: 'any' },
			'cancellations.request': { label: 'Request and withdraw cancellations', audience: 'any' },
			'cancellations.manage': { label: 'Approve and reject cancellations', audience: 'staff' }
		}
	},
	platform: {
		label: 'Platform (staff)',
		permissions: {
			'catalog.manage': { label: 'Manage the product catalogue', audience: 'staff' },
			'noc.view': { label: 'See the NOC wall screen', audience: 'staff' },
			'mail.read': { label: 'See sent mail', audience: 'staff' },
			'staff.manage': { label: 'Manage staff users', audience: 'staff' }
		}
	}
} as const satisfies Record<
	string,
	{ label: string; permissions: Record<string, { label: string; audience: 'staff' | 'any' }> }
>;

type Catalogue = typeof PERMISSION_CATALOGUE;
export type Permission = { [A in keyof Catalogue]: keyof Catalogue[A]['permissions'] }[keyof Catalogue] & string;

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSION_CATALOGUE).flatMap(
	(area) => Object.keys(area.permissions) as Permission[]
);

export const CLIENT_GRANTABLE_PERMISSIONS: readonly Permission[] = Object.values(PERMISSION_CATALOGUE).flatMap((area) =>
	Object.entries(area.permissions)
		.filter(([, definition]) => definition.audience === 'any')
		.map(([key]) => key as Permission)
);

export function isPermission(value: string): value is Permission {
	return (ALL_PERMISSIONS as readonly string[]).includes(value);
}
