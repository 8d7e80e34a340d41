import { test, expect } from '@playwright/test';
import { STORAGE, emailFor, uniqueName } from './support';

test.use({ storageState: STORAGE.admin });

test('staff create a client: field errors keep what was typed, then the workspace opens', async ({ page }) => {
	const name = uniqueName('E2E Create');
	await page.goto('/clients');
	await page.getByRole('link', { name: 'New client' }).click();
	await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();

	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByLabel('Email', { exact: true }).fill('not-an-email');
	await page.getByLabel('Company').fill(`${name} GmbH`);
	await page.getByLabel('Client type').selectOption('individual');
	await page.getByLabel('Billing type').selectOption('postpaid');
	await page.getByLabel('Currency').selectOption('CHF');
	await page.getByLabel('Send a welcome email with a set-password link').uncheck();
	await page.getByRole('button', { name: 'Create client' }).click();

	await expect(page.getByRole('alert')).toHaveText('Some fields need attention.');
	await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription(/Enter a valid email address\./);
	await expect(page.getByText('Enter a valid email address.')).toBeVisible();
	await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
	await expect(page.getByLabel('Currency')).toHaveValue('CHF');

	// An address that already belongs to a user is refused on the server, under the field.
	await page.getByLabel('Email', { exact: true }).fill('owner@acme.example');
	await page.getByRole('button', { name: 'Create client' }).click();
	await expect(page.getByText('A user with this email already exists.')).toBeVisible();
	await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription(/A user with this email already exists\./);

	await page.getByLabel('Email', { exact: true }).fill(emailFor(name));
	await page.getByRole('button', { name: 'Create client' }).click();

	await expect(page).toHaveURL(/\/clients\/[0-9a-f-]{36}\/summary$/);
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	const header = page.getByRole('region', { name: 'Client details' });
	await expect(header.getByText(`${name} GmbH`)).toBeVisible();
	await expect(header.getByText('individual')).toBeVisible();
	await expect(header.getByText('postpaid')).toBeVisible();
	await expect(page.getByRole('region', { name: 'Currency' })).toContainText('CHF');
	await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText(`Created client ${name}`);
});

test('the new-client form says which fields are required', async ({ page }) => {
	await page.goto('/clients/new');
	await page.getByRole('button', { name: 'Create client' }).click();
	await expect(page.getByText('Name needs at least 2 characters.')).toBeVisible();
	await expect(page.getByText('Enter a valid email address.')).toBeVisible();
	await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
});
