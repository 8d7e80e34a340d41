import { test, expect } from '@playwright/test';
import { STORAGE, createClientViaApi, setStatusViaApi, uniqueName } from './support';

test.use({ storageState: STORAGE.admin });

test('staff open a workspace from the list and see its Summary and activity', async ({ page }) => {
	const client = await createClientViaApi(page.request, uniqueName('E2E Workspace'));
	await page.goto('/clients');
	await page.getByLabel('Search').fill(client.name);
	await page.getByRole('button', { name: 'Search' }).click();
	await page.getByRole('link', { name: client.name }).click();

	await expect(page).toHaveURL(`/clients/${client.id}/summary`);
	await expect(page.getByRole('heading', { name: client.name, level: 1 })).toBeVisible();
	const details = page.getByRole('region', { name: 'Client details' });
	await expect(details.getByText('active', { exact: true })).toBeVisible();
	await expect(details.getByText(/^Client for /)).toBeVisible();
	const tabs = page.getByRole('navigation', { name: 'Client workspace' });
	// Summary leads; the other tabs follow in features.md order as their modules land.
	await expect(tabs.getByRole('link').first()).toHaveText('Summary');
	await expect(tabs.getByRole('link', { name: 'Summary' })).toHaveAttribute('aria-current', 'page');
	await expect(page.getByRole('region', { name: 'Billing type' })).toContainText('prepaid');
	const activity = page.getByRole('region', { name: 'Recent activity' });
	await expect(activity.getByRole('listitem')).toHaveCount(1);
	await expect(activity).toContainText(`Created client ${client.name}`);
	await expect(activity).toContainText('Ada Admin');
});

test('the bare workspace address opens the Summary tab', async ({ page }) => {
	const client = await createClientViaApi(page.request);
	await page.goto(`/clients/${client.id}`);
	await expect(page).toHaveURL(`/clients/${client.id}/summary`);
});

test('an unknown client id shows "Client not found"', async ({ page }) => {
	const response = await page.goto('/clients/00000000-0000-4000-8000-000000000000/summary');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
	await page.goto('/clients/not-a-uuid/summary');
	await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
});

test('staff change a status with a reason and see the badge and the activity entry', async ({ page }) => {
	const client = await createClientViaApi(page.request, uniqueName('E2E Status'));
	await page.goto(`/clients/${client.id}/summary`);

	await page.getByRole('button', { name: 'Change status' }).click();
	const dialog = page.getByRole('dialog', { name: 'Change status' });
	await dialog.getByLabel('Status').selectOption('suspended');
	await dialog.getByRole('button', { name: 'Save status' }).click();
	await expect(dialog.getByText('Give a reason of at least 3 characters.')).toBeVisible();

	const reason = `Overdue invoice ${client.name}`;
	await dialog.getByLabel('Reason').fill(reason);
	await dialog.getByRole('button', { name: 'Save status' }).click();
	await expect(dialog).toBeHidden();

	await expect(page.getByRole('region', { name: 'Client details' }).getByText('suspended', { exact: true })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Status' })).toContainText(`Reason: ${reason}`);
	const activity = page.getByRole('region', { name: 'Recent activity' });
	await expect(activity.getByRole('listitem')).toHaveCount(2);
	await expect(activity.getByRole('listitem').first()).toContainText(`Changed status from active to suspended: ${reason}`);

	// The list shows the new status too.
	await page.goto(`/clients?search=${encodeURIComponent(client.name)}&status=suspended`);
	await expect(page.getByRole('link', { name: client.name })).toBeVisible();
});

test('the status dialog works from the keyboard alone', async ({ page }) => {
	const client = await createClientViaApi(page.request, uniqueName('E2E Keyboard'));
	await page.goto(`/clients/${client.id}/summary`);
	await page.getByRole('button', { name: 'Change status' }).focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: 'Change status' });
	await expect(dialog.getByLabel('Status')).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(dialog.getByLabel('Reason')).toBeFocused();
	await page.keyboard.type('Blocked from the keyboard');
	await page.keyboard.press('Shift+Tab');
	await dialog.getByLabel('Status').selectOption('blocked');
	await dialog.getByRole('button', { name: 'Save status' }).focus();
	await page.keyboard.press('Enter');
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('region', { name: 'Client details' }).getByText('blocked', { exact: true })).toBeVisible();
});

test('a terminated client offers no status change', async ({ page }) => {
	const client = await createClientViaApi(page.request, uniqueName('E2E Terminated'));
	await setStatusViaApi(page.request, client.id, 'terminated', 'Contract ended');
	await page.goto(`/clients/${client.id}/summary`);
	await expect(page.getByRole('region', { name: 'Status' })).toContainText('Reason: Contract ended');
	await expect(page.getByText('A terminated client cannot change status.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Change status' })).toHaveCount(0);
});
