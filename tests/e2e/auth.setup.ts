import { test as setup, expect } from '@playwright/test';
import { STORAGE, signIn } from './support';

setup('sign in as the super admin', async ({ page }) => {
	await signIn(page, 'admin@example.com');
	await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
	await page.context().storageState({ path: STORAGE.admin });
});

setup('sign in as the Acme owner', async ({ page }) => {
	await signIn(page, 'owner@acme.example');
	await expect(page.getByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeVisible();
	await page.context().storageState({ path: STORAGE.acmeOwner });
});
