import { test, expect } from '@playwright/test';
import { STORAGE } from './support';

test('staff change a billing setting and the client’s open Billing Setup tab shows it live; a bad value is answered under its field', async ({ browser }) => {
	const owner = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const ownerPage = await owner.newPage();
	const staffPage = await staff.newPage();

	await ownerPage.goto('/');
	await ownerPage.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Billing Setup' }).click();
	await expect(ownerPage.getByRole('heading', { name: 'Billing setup' })).toBeVisible();
	const clientId = ownerPage.url().match(/\/clients\/([0-9a-f-]{36})\/billing/)?.[1];
	expect(clientId).toBeTruthy();
	let ownerReloads = 0;
	ownerPage.on('framenavigated', (frame) => {
		if (frame === ownerPage.mainFrame()) ownerReloads += 1;
	});

	await staffPage.goto(`/clients/${clientId}/billing`);
	const current = await staffPage.getByLabel('Payment terms (days)').inputValue();
	const terms = String(current === '45' ? 46 : 45);
	await staffPage.getByLabel('Payment terms (days)').fill(terms);
	await staffPage.getByLabel('Monthly budget').fill('1250.5');
	await staffPage.getByLabel('New threshold (%)').fill('90');
	await staffPage.getByRole('button', { name: 'Add threshold' }).click();
	await expect(staffPage.getByRole('list', { name: 'Alert thresholds' }).getByText('90 %')).toBeVisible();
	await staffPage.getByRole('button', { name: 'Save billing setup' }).click();
	await expect(staffPage.getByRole('status').filter({ hasText: 'Billing setup saved.' })).toBeVisible();
	await expect(staffPage.getByLabel('Monthly budget')).toHaveValue('1250.50');

	await expect(ownerPage.getByLabel('Payment terms (days)')).toHaveValue(terms);
	await expect(ownerPage.getByLabel('Monthly budget')).toHaveValue('1250.50');
	await expect(ownerPage.getByRole('list', { name: 'Alert thresholds' }).getByText('90 %')).toBeVisible();
	expect(ownerReloads).toBe(0);

	// Auto-terminate must come after auto-suspend: the error is under the field and the typing stays.
	await staffPage.getByLabel('Auto-suspend after (days overdue)').fill('20');
	await staffPage.getByLabel('Auto-terminate after (days overdue)').fill('10');
	await staffPage.getByRole('button', { name: 'Save billing setup' }).click();
	await expect(staffPage.getByText('Terminate later than the suspension: more days overdue than the suspension delay.')).toBeVisible();
	await expect(staffPage.getByLabel('Auto-terminate after (days overdue)')).toHaveAttribute('aria-invalid', 'true');
	await expect(staffPage.getByLabel('Auto-terminate after (days overdue)')).toHaveValue('10');
	await expect(staffPage.getByLabel('Auto-suspend after (days overdue)')).toHaveValue('20');

	// Remove the threshold again so reruns start from the same chips.
	await staffPage.getByLabel('Auto-suspend after (days overdue)').fill('');
	await staffPage.getByLabel('Auto-terminate after (days overdue)').fill('');
	await staffPage.getByRole('button', { name: 'Remove 90 %' }).click();
	await staffPage.getByRole('button', { name: 'Save billing setup' }).click();
	await expect(staffPage.getByRole('status').filter({ hasText: 'Billing setup saved.' })).toBeVisible();
	await expect(ownerPage.getByRole('list', { name: 'Alert thresholds' }).getByText('90 %')).toHaveCount(0);

	await owner.close();
	await staff.close();
});
