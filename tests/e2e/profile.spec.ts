import { test, expect } from '@playwright/test';
import { STORAGE, createClientViaApi, uniqueName } from './support';

test('the Acme owner edits personal details and staff see them change live, without a reload', async ({ browser }) => {
	const owner = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const ownerPage = await owner.newPage();
	const staffPage = await staff.newPage();

	await ownerPage.goto('/');
	await ownerPage.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Personal Details' }).click();
	await expect(ownerPage.getByRole('heading', { name: 'Personal details' })).toBeVisible();
	const clientId = ownerPage.url().match(/\/clients\/([0-9a-f-]{36})\/personal/)?.[1];
	expect(clientId).toBeTruthy();

	await staffPage.goto(`/clients/${clientId}/personal`);
	await expect(staffPage.getByLabel('Name', { exact: true })).toHaveValue('Acme Corporation');
	let staffReloads = 0;
	staffPage.on('framenavigated', (frame) => {
		if (frame === staffPage.mainFrame()) staffReloads += 1;
	});

	const city = uniqueName('Springfield');
	await ownerPage.getByLabel('City').fill(city);
	await ownerPage.getByLabel('Country').selectOption('DE');
	await ownerPage.getByLabel('Phone').fill('030 1234567');
	await ownerPage.getByRole('button', { name: 'Save personal details' }).click();
	await expect(ownerPage.getByRole('status').filter({ hasText: 'Personal details saved.' })).toBeVisible();
	// Stored E.164 and shown the international way.
	await expect(ownerPage.getByLabel('Phone')).toHaveValue('+49 30 1234567');

	await expect(staffPage.getByLabel('City')).toHaveValue(city);
	await expect(staffPage.getByLabel('Phone')).toHaveValue('+49 30 1234567');
	await expect(staffPage.getByLabel('Country')).toHaveValue('DE');
	expect(staffReloads).toBe(0);

	// A bad phone is answered under the field, and what was typed stays.
	await ownerPage.getByLabel('Phone').fill('12');
	await ownerPage.getByRole('button', { name: 'Save personal details' }).click();
	await expect(ownerPage.getByText('Enter a valid phone number, e.g. +44 20 7946 0958.')).toBeVisible();
	await expect(ownerPage.getByLabel('Phone')).toHaveValue('12');
	await expect(ownerPage.getByLabel('Phone')).toHaveAttribute('aria-invalid', 'true');

	await owner.close();
	await staff.close();
});

test.describe('as staff', () => {
	test.use({ storageState: STORAGE.admin });

	test('an email change sends a code and tells the old address; the Emails tab lists both and shows the notice', async ({ page }) => {
		const client = await createClientViaApi(page.request, uniqueName('E2E Email'));
		await page.goto(`/clients/${client.id}/personal`);
		const newEmail = `${client.email.split('@')[0]}-new@e2e.example`;
		await page.getByLabel('New email').fill(newEmail);
		await page.getByRole('button', { name: 'Send code' }).click();
		await expect(page.getByText(`Waiting for the code sent to ${newEmail}`)).toBeVisible();

		await page.getByLabel('Code', { exact: true }).fill('000000');
		await page.getByRole('button', { name: 'Confirm email change' }).click();
		await expect(page.getByLabel('Code', { exact: true })).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByRole('region', { name: 'Email', exact: true })).toContainText(`Current email: ${client.email}`);

		await page.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Emails' }).click();
		const log = page.getByRole('region', { name: 'Email log' });
		await expect(log.getByRole('row')).toHaveCount(3);
		await expect(log).toContainText('email-change-code');
		await log.getByRole('button', { name: 'Cirrus Console: someone asked to change your account email' }).click();
		await expect(page.getByText(`from this address to ${newEmail}`)).toBeVisible();
	});
});
