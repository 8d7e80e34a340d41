import { test, expect, type Browser, type Page } from '@playwright/test';
import { STORAGE, signIn, uniqueName, emailFor } from './support';

const PASSWORD = 'violet-harbour-lantern-42';

/** The invitation link as the invitee gets it: read from the stored mail on the staff Sent mail page. */
async function inviteLinkFromMail(browser: Browser, email: string): Promise<string> {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const page = await staff.newPage();
	await page.goto('/mail');
	await page.getByRole('row').filter({ hasText: email }).getByRole('link').first().click();
	const href = await page.getByRole('link', { name: /\/invite\?token=/ }).getAttribute('href');
	await staff.close();
	const url = new URL(href ?? '');
	return url.pathname + url.search;
}

const workspaceTab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name, exact: true });

test('the owner creates a role and invites a user, who joins, sees only what the role allows, and follows a role change live', async ({ browser }) => {
	const owner = await (await browser.newContext({ storageState: STORAGE.acmeOwner })).newPage();
	await owner.goto('/');
	await workspaceTab(owner, 'Users').click();
	await expect(owner.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();

	// A custom role from the grouped catalogue.
	const roleName = uniqueName('Auditor');
	await owner.getByRole('button', { name: 'New role' }).click();
	const roleDialog = owner.getByRole('dialog', { name: 'New role' });
	await roleDialog.getByLabel('Role name').fill(roleName);
	await roleDialog.getByRole('group', { name: 'Summary' }).getByLabel('See the account summary').check();
	await roleDialog.getByRole('group', { name: 'Users and roles' }).getByLabel('See users and roles').check();
	await roleDialog.getByRole('button', { name: 'Create role' }).click();
	await expect(roleDialog).toBeHidden();
	await expect(owner.getByRole('heading', { name: roleName, level: 3 })).toBeVisible();

	// The invitation.
	const inviteeName = uniqueName('Ivy');
	const email = emailFor(inviteeName);
	await owner.getByRole('button', { name: 'Invite user' }).click();
	const inviteDialog = owner.getByRole('dialog', { name: 'Invite user' });
	await inviteDialog.getByLabel('Email').fill(email);
	await inviteDialog.getByLabel('Role').selectOption({ label: roleName });
	await inviteDialog.getByRole('button', { name: 'Send invitation' }).click();
	await expect(owner.getByRole('region', { name: 'Open invitations' }).getByRole('row', { name: new RegExp(email) })).toBeVisible();

	// Accepted in a fresh, signed-out browser.
	const link = await inviteLinkFromMail(browser, email);
	const inviteeContext = await browser.newContext();
	const invitee = await inviteeContext.newPage();
	await invitee.goto(link);
	await expect(invitee.getByRole('heading', { name: 'Join Acme Corporation', level: 1 })).toBeVisible();
	await expect(invitee.getByText(roleName)).toBeVisible();
	await invitee.getByLabel('Your name').fill(inviteeName);
	await invitee.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await invitee.getByLabel('Confirm password').fill(PASSWORD);
	await invitee.getByRole('button', { name: 'Accept invitation' }).click();
	await expect(invitee.getByRole('heading', { name: 'Your account is ready' })).toBeVisible();

	// The owner's open page shows the new user without a reload.
	await expect(owner.getByRole('region', { name: 'Users' }).getByRole('link', { name: inviteeName })).toBeVisible();
	await expect(owner.getByRole('region', { name: 'Open invitations' })).toHaveCount(0);

	// The same link cannot be used twice.
	await invitee.goto(link);
	await expect(invitee.getByRole('heading', { name: 'This invitation was already accepted' })).toBeVisible();

	// Signed in, the new user sees only what the role allows.
	await signIn(invitee, email, PASSWORD);
	await expect(invitee.getByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeVisible();
	await expect(workspaceTab(invitee, 'Users')).toBeVisible();
	await expect(workspaceTab(invitee, 'Activity')).toHaveCount(0);
	await workspaceTab(invitee, 'Users').click();
	await expect(invitee.getByRole('heading', { name: 'Roles', level: 2 })).toBeVisible();
	await expect(invitee.getByRole('button', { name: 'Invite user' })).toHaveCount(0);
	await expect(invitee.getByRole('button', { name: 'New role' })).toHaveCount(0);
	await workspaceTab(invitee, 'Summary').click();
	await expect(invitee.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
	// Marks this document: a reload would lose it.
	await invitee.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

	// The owner gives the user the Accountant role (no users.read) ...
	await owner.getByRole('region', { name: 'Users' }).getByRole('link', { name: inviteeName }).click();
	await expect(owner.getByRole('heading', { name: 'Effective permissions' })).toBeVisible();
	await expect(owner.getByRole('definition').filter({ hasText: 'See users and roles' })).toBeVisible();
	await owner.getByLabel('Role').selectOption({ label: 'Accountant' });
	await owner.getByRole('button', { name: 'Save role' }).click();
	await expect(owner.getByRole('status')).toHaveText(`${inviteeName} now has the role Accountant.`);
	await expect(owner.getByRole('definition').filter({ hasText: 'Pay invoices and apply credit' })).toBeVisible();

	// ... and the user's open page follows at once, without a reload.
	await expect(workspaceTab(invitee, 'Users')).toHaveCount(0);
	await expect(invitee.getByRole('navigation', { name: 'Main' }).getByText('Accountant')).toBeVisible();
	expect(await invitee.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
	await inviteeContext.close();
});

test('an invitation link that is not valid gets a clear page', async ({ page }) => {
	await page.goto('/invite?token=' + 'a'.repeat(52));
	await expect(page.getByRole('heading', { name: 'This invitation link is not valid', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Go to sign in' })).toBeVisible();
});

test('the owner cannot deactivate themselves, and a role in use cannot be deleted', async ({ browser }) => {
	const owner = await (await browser.newContext({ storageState: STORAGE.acmeOwner })).newPage();
	await owner.goto('/');
	await workspaceTab(owner, 'Users').click();
	await owner.getByRole('region', { name: 'Users' }).getByRole('link', { name: 'Wile E. Coyote' }).click();
	await expect(owner.getByRole('heading', { name: 'Wile E. Coyote', level: 2 })).toBeVisible();
	// The page offers no way to lock yourself out (and the API refuses it: see the integration tests).
	await expect(owner.getByRole('button', { name: 'Deactivate user' })).toHaveCount(0);
	await expect(owner.getByRole('button', { name: 'Save role' })).toHaveCount(0);

	await owner.getByRole('link', { name: '← Users' }).click();
	await owner.getByRole('button', { name: 'Delete role Accountant' }).click();
	await owner.getByRole('button', { name: 'Confirm delete' }).click();
	await expect(owner.getByRole('alert')).toContainText(/The role Accountant is in use by \d+ users?/);
	await expect(owner.getByRole('heading', { name: 'Accountant', level: 3 })).toBeVisible();
});
