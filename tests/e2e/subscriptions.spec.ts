import { test, expect, type Page } from '@playwright/test';
import { STORAGE, createClientViaApi, uniqueName } from './support';

async function createSubscription(page: Page, planName: string, quantity: string) {
	await page.getByRole('button', { name: 'New subscription' }).click();
	const form = page.getByRole('form', { name: 'New subscription' });
	await form.getByLabel('Plan').selectOption({ label: planName });
	await form.getByLabel('Billing cycle').selectOption('monthly');
	await form.getByLabel('Quantity').fill(quantity);
	await form.getByRole('button', { name: 'Create subscription' }).click();
	await expect(form).toBeHidden();
}

test('staff subscribe a fresh client and upgrade it with the proration shown first; another open page follows live', async ({ browser }) => {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const page = await staff.newPage();
	const client = await createClientViaApi(page.request, uniqueName('Subscriber'));
	const watcher = await staff.newPage();
	await watcher.goto(`/clients/${client.id}/subscriptions`);
	await expect(watcher.getByText('This client has no subscriptions yet.')).toBeVisible();

	await page.goto(`/clients/${client.id}/summary`);
	await page.getByRole('link', { name: 'Subscriptions' }).click();
	await expect(page.getByRole('heading', { name: 'Subscriptions' })).toBeVisible();

	// Field errors first: a quantity of zero.
	await page.getByRole('button', { name: 'New subscription' }).click();
	const form = page.getByRole('form', { name: 'New subscription' });
	await form.getByLabel('Plan').selectOption({ label: 'VM Small' });
	await form.getByLabel('Quantity').fill('0');
	await form.getByRole('button', { name: 'Create subscription' }).click();
	await expect(form.getByText('Enter a quantity from 1 to 10,000.')).toBeVisible();
	await form.getByRole('button', { name: 'Cancel' }).click();

	await createSubscription(page, 'VM Small', '2');
	const row = page.getByRole('region', { name: 'Subscription list' }).getByRole('row').filter({ hasText: 'VM Small' });
	await expect(row).toContainText('€18.00 per month');
	await expect(row).toContainText('Active');
	await expect(watcher.getByRole('region', { name: 'Subscription list' }).getByRole('row').filter({ hasText: 'VM Small' })).toContainText('€18.00 per month');

	await row.getByRole('button', { name: 'Change plan of VM Small' }).click();
	const change = page.getByRole('form', { name: 'Change plan of VM Small' });
	await change.getByLabel('New plan').selectOption({ label: 'VM Large' });
	await change.getByRole('button', { name: 'Preview change' }).click();
	const preview = change.getByRole('region', { name: 'Proration preview' });
	// Changed on the first day: the whole unused VM Small period is credited and all of VM Large charged.
	await expect(preview).toContainText('-€18.00');
	await expect(preview).toContainText('€78.00');
	await expect(preview).toContainText('€60.00');
	await change.getByRole('button', { name: 'Confirm change' }).click();
	await expect(change).toBeHidden();
	const upgraded = page.getByRole('region', { name: 'Subscription list' }).getByRole('row').filter({ hasText: 'VM Large' });
	await expect(upgraded).toContainText('€78.00 per month');
	await expect(watcher.getByRole('region', { name: 'Subscription list' }).getByRole('row').filter({ hasText: 'VM Large' })).toContainText('€78.00 per month');

	await upgraded.getByRole('button', { name: 'Cancel VM Large at period end' }).click();
	await expect(upgraded).toContainText('Cancellation pending');
	await expect(watcher.getByRole('region', { name: 'Subscription list' })).toContainText('Cancellation pending');
	await staff.close();
});

test("the client's open Subscriptions page shows a subscription staff add, without a reload", async ({ browser }) => {
	const owner = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const ownerPage = await owner.newPage();
	await ownerPage.goto('/');
	await expect(ownerPage).toHaveURL(/\/clients\/[0-9a-f-]{36}\/summary$/);
	const acmeId = ownerPage.url().match(/\/clients\/([0-9a-f-]{36})\//)?.[1] as string;
	await ownerPage.goto(`/clients/${acmeId}/subscriptions?plan=`);
	await expect(ownerPage.getByRole('heading', { name: 'Subscriptions' })).toBeVisible();
	const ownerList = ownerPage.locator('main');
	const before = await ownerPage.getByRole('row').filter({ hasText: 'Premium support' }).count();

	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const staffPage = await staff.newPage();
	await staffPage.goto(`/clients/${acmeId}/subscriptions`);
	await createSubscription(staffPage, 'Premium support', '1');

	await expect(ownerList.getByRole('row').filter({ hasText: 'Premium support' })).toHaveCount(before + 1);
	await expect(ownerList.getByRole('row').filter({ hasText: 'Premium support' }).first()).toContainText('€49.00 per month');
	await staff.close();
	await owner.close();
});
