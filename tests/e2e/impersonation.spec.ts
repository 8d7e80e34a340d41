import { test, expect } from '@playwright/test';
import { STORAGE, clientIdFromList } from './support';

test.use({ storageState: STORAGE.admin });

test('staff sign in as the Acme owner, see the banner everywhere, and stop', async ({ page }) => {
	const acmeId = await clientIdFromList(page, 'Acme Corporation');
	await page.goto(`/clients/${acmeId}/summary`);
	await page.getByRole('button', { name: 'Sign in as Wile E. Coyote' }).click();

	const banner = page.getByRole('status').filter({ hasText: 'Signed in as Wile E. Coyote' });
	await expect(banner).toBeVisible();
	await expect(banner).toContainText('Ada Admin (staff)');
	await expect(page).toHaveURL(`/clients/${acmeId}/summary`);
	// Now the page is the client's view: no staff actions.
	await expect(page.getByRole('button', { name: 'Change status' })).toHaveCount(0);
	await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText('Ada Admin signed in as Wile E. Coyote');

	// The banner follows every page, including an error page.
	await page.goto('/');
	await expect(page).toHaveURL(`/clients/${acmeId}/summary`);
	await expect(banner).toBeVisible();
	await page.goto('/clients/00000000-0000-4000-8000-000000000000/summary');
	await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
	await expect(banner).toBeVisible();

	await page.getByRole('button', { name: 'Stop signing in as Wile E. Coyote' }).click();
	await expect(page).toHaveURL(`/clients/${acmeId}/summary`);
	await expect(banner).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Change status' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Clients', exact: true })).toBeVisible();
	// The entry written while signed in as the owner names both people.
	await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText('Ada Admin (as Wile E. Coyote)');
});
