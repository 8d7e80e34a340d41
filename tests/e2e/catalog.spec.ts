import { test, expect } from '@playwright/test';
import { STORAGE, uniqueName } from './support';

test('staff add a product to the catalogue with field errors first; another open catalogue page shows it live', async ({ browser }) => {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const watcher = await staff.newPage();
	await watcher.goto('/catalog');
	const watcherProducts = watcher.getByRole('region', { name: 'Products' });
	// The demo catalogue, prices formatted in their currency.
	await expect(watcherProducts.getByRole('row').filter({ hasText: 'VM Small' })).toContainText('Monthly: €9.00');

	const page = await staff.newPage();
	await page.goto('/');
	await page.getByRole('link', { name: 'Catalogue' }).click();
	await expect(page.getByRole('heading', { name: 'Catalogue', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'New product' }).click();
	const form = page.getByRole('form', { name: 'New product' });
	const name = uniqueName('Backup add-on');
	await form.getByLabel('Name').fill(name);
	await form.getByLabel('Kind').selectOption('addon');
	await form.getByLabel('Amount 1').fill('4.999');
	await form.getByRole('button', { name: 'Add a price' }).click();
	await form.getByLabel('Currency 2').fill('JPY');
	await form.getByLabel('Amount 2').fill('500');
	await form.getByRole('button', { name: 'Create product' }).click();
	await expect(form.getByText('Price 1: enter a non-negative amount like 12.34 with the decimals EUR allows.')).toBeVisible();

	await form.getByLabel('Amount 1').fill('4.99');
	await form.getByRole('button', { name: 'Create product' }).click();
	await expect(form).toBeHidden();
	await expect(page.getByRole('status').filter({ hasText: `Created ${name}.` })).toBeAttached();
	const row = page.getByRole('region', { name: 'Products' }).getByRole('row').filter({ hasText: name });
	await expect(row).toContainText('Add-on');
	await expect(row).toContainText('Monthly: €4.99');
	await expect(row).toContainText('Monthly: ¥500');

	// The first page was not reloaded: the change arrives over the staff room.
	await expect(watcherProducts.getByRole('row').filter({ hasText: name })).toContainText('Monthly: €4.99');

	await row.getByRole('button', { name: `Edit ${name}` }).click();
	const edit = page.getByRole('form', { name: `Edit ${name}` });
	await edit.getByLabel('Amount 1').fill('5.49');
	await edit.getByLabel('Active (can be chosen for new subscriptions)').uncheck();
	await edit.getByRole('button', { name: 'Save product' }).click();
	await expect(edit).toBeHidden();
	await expect(row).toContainText('Monthly: €5.49');
	await expect(row).toContainText('Inactive');
	await expect(watcherProducts.getByRole('row').filter({ hasText: name })).toContainText('Inactive');
	await staff.close();
});

test('the catalogue is a staff page: a client owner gets no link and a not-found page', async ({ browser }) => {
	const owner = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const page = await owner.newPage();
	await page.goto('/');
	await expect(page.getByRole('link', { name: 'Catalogue' })).toHaveCount(0);
	const response = await page.goto('/catalog');
	expect(response?.status()).toBe(404);
	await owner.close();
});
