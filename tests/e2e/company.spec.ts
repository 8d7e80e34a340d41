import { test, expect } from '@playwright/test';
import { STORAGE, createClientViaApi, uniqueName } from './support';

test.use({ storageState: STORAGE.admin });

test('a VAT id with wrong check digits is answered on its field; a valid one saves', async ({ page }) => {
	const client = await createClientViaApi(page.request, uniqueName('E2E Company'));
	await page.goto(`/clients/${client.id}/company`);
	await expect(page.getByRole('heading', { name: 'Company details' })).toBeVisible();
	await expect(page.getByLabel('Billing emails')).toHaveValue(client.email);

	await page.getByLabel('Country').selectOption('DE');
	await page.getByRole('button', { name: 'Save company details' }).click();
	await expect(page.getByText('Organizations in the EU must give their VAT id.')).toBeVisible();

	const vat = page.getByLabel('VAT id');
	await vat.fill('DE 136 695 977');
	await page.getByRole('button', { name: 'Save company details' }).click();
	await expect(page.getByText('This VAT id fails its check digits: check for a typo.')).toBeVisible();
	await expect(vat).toHaveAttribute('aria-invalid', 'true');
	await expect(vat).toHaveValue('DE 136 695 977');
	await expect(vat).toBeFocused();

	await vat.fill('DE 136 695 976');
	await page.getByRole('button', { name: 'Save company details' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Company details saved.' })).toBeVisible();
	await expect(vat).toHaveValue('DE136695976');
	await expect(vat).not.toHaveAttribute('aria-invalid', 'true');
});
