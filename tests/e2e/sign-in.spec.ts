import { test, expect } from '@playwright/test';
import { signIn } from './support';

test('a wrong password shows the error and stays on the sign-in page', async ({ page }) => {
	// billing@ is used by no other test, so this failure cannot lock out an account they need.
	await signIn(page, 'billing@example.com', 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByLabel('Password')).toHaveValue('not-the-password');
});

test('the admin signs in, sees the client list and signs out', async ({ page }) => {
	await page.goto('/clients');
	await expect(page).toHaveURL(/\/login\?next=%2Fclients$/);
	await signIn(page, 'admin@example.com');
	await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Acme Corporation', exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/clients');
	await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
