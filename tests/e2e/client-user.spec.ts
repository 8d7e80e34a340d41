import { test, expect } from '@playwright/test';
import { STORAGE, clientIdFromList, signIn } from './support';

test('a client user lands on its own workspace and cannot open another client', async ({ browser }) => {
	// Globex's id, read from the staff list in a separate staff session.
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const globexId = await clientIdFromList(await staff.newPage(), 'Globex');
	await staff.close();

	const context = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const page = await context.newPage();
	await page.goto('/');
	await expect(page).toHaveURL(/\/clients\/[0-9a-f-]{36}\/summary$/);
	await expect(page.getByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Summary' })).toBeVisible();
	// Staff-only parts are not there at all.
	await expect(page.getByRole('button', { name: 'Change status' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Clients', exact: true })).toHaveCount(0);
	const ownUrl = page.url();

	await page.goto('/clients');
	await expect(page).toHaveURL(ownUrl);

	const response = await page.goto(`/clients/${globexId}/summary`);
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
	await expect(page.getByText('Globex')).toHaveCount(0);
	await page.goto('/clients/new');
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await context.close();
});

test('staff without access to clients get "not found" for the list and a workspace', async ({ page, browser }) => {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const acmeId = await clientIdFromList(await staff.newPage(), 'Acme Corporation');
	await staff.close();

	await signIn(page, 'noc@example.com');
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Clients', exact: true })).toHaveCount(0);
	await page.goto('/clients');
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await page.goto(`/clients/${acmeId}/summary`);
	await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
});
