import { test, expect } from '@playwright/test';
import { STORAGE, createClientViaApi, setStatusViaApi, uniqueName } from './support';

test.use({ storageState: STORAGE.admin });

test('staff search the client list and filter it by status', async ({ page }) => {
	const token = uniqueName('E2E List');
	const alpha = await createClientViaApi(page.request, `${token} Alpha`);
	const beta = await createClientViaApi(page.request, `${token} Beta`);
	await setStatusViaApi(page.request, beta.id, 'suspended', 'Suspended by the list test');

	await page.goto('/clients');
	await expect(page.getByRole('link', { name: 'Acme Corporation', exact: true })).toBeVisible();

	await page.getByLabel('Search').fill(token);
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page).toHaveURL(/\?search=E2E\+List/);
	const rows = page.getByRole('region', { name: 'Client list' }).getByRole('row');
	await expect(rows).toHaveCount(3); // header + two clients
	await expect(page.getByRole('link', { name: alpha.name })).toBeVisible();
	const betaRow = rows.filter({ hasText: beta.name });
	await expect(betaRow.getByText('suspended', { exact: true })).toBeVisible();

	await page.getByLabel('Status').selectOption('suspended');
	await expect(page).toHaveURL(/status=suspended/);
	await expect(rows).toHaveCount(2);
	await expect(page.getByRole('link', { name: beta.name })).toBeVisible();
	await expect(page.getByRole('link', { name: alpha.name })).toHaveCount(0);

	// The same search by email and by id finds the client too.
	await page.goto(`/clients?search=${encodeURIComponent(alpha.email)}`);
	await expect(page.getByRole('link', { name: alpha.name })).toBeVisible();
	await page.goto(`/clients?search=${alpha.id}`);
	await expect(rows).toHaveCount(2);
	await expect(page.getByRole('link', { name: alpha.name })).toBeVisible();

	await page.getByLabel('Search').fill(`${token} nobody`);
	await page.getByLabel('Search').press('Enter');
	await expect(page.getByText(`No clients match “${token} nobody”.`)).toBeVisible();
	await page.getByRole('link', { name: 'Clear filters' }).first().click();
	await expect(page).toHaveURL(/\/clients$/);
	await expect(page.getByRole('link', { name: 'Acme Corporation', exact: true })).toBeVisible();
});

test('staff sort the list and page through it with the keyset cursor and Back', async ({ page }) => {
	const token = uniqueName('E2E Page');
	// One more than a page (25), created oldest-first so the newest-first sort is predictable.
	const names: string[] = [];
	for (let index = 0; index < 26; index += 1) {
		const name = `${token} ${String(index).padStart(2, '0')}`;
		await createClientViaApi(page.request, name);
		names.push(name);
	}

	await page.goto(`/clients?search=${encodeURIComponent(token)}`);
	const links = page.getByRole('region', { name: 'Client list' }).getByRole('link');
	await expect(links).toHaveCount(25);
	await expect(links.first()).toHaveText(names[0]);

	await page.getByLabel('Direction').selectOption('desc');
	await expect(page).toHaveURL(/direction=desc/);
	await expect(links.first()).toHaveText(names[25]);
	await page.getByLabel('Sort by').selectOption('createdAt');
	await expect(page).toHaveURL(/sort=createdAt/);
	await expect(links.first()).toHaveText(names[25]);
	await expect(page.getByRole('link', { name: 'First page' })).toHaveCount(0);

	await page.getByRole('link', { name: 'Next page' }).click();
	await expect(page).toHaveURL(/cursor=/);
	await expect(links).toHaveCount(1);
	await expect(links.first()).toHaveText(names[0]);
	await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);

	await page.goBack();
	await expect(links).toHaveCount(25);
	await expect(links.first()).toHaveText(names[25]);

	await page.goForward();
	await expect(links).toHaveCount(1);
	await page.getByRole('link', { name: 'First page' }).click();
	await expect(page).not.toHaveURL(/cursor=/);
	await expect(page).toHaveURL(/sort=createdAt/);
	await expect(links).toHaveCount(25);
});

test('a tampered page link says so and offers the first page', async ({ page }) => {
	await page.goto('/clients?sort=name&cursor=not-a-real-cursor');
	await expect(page.getByRole('heading', { name: 'That link did not work' })).toBeVisible();
	await page.getByRole('link', { name: 'First page' }).click();
	await expect(page.getByRole('link', { name: 'Acme Corporation', exact: true })).toBeVisible();
});

test('the table is marked busy while a new page loads', async ({ page }) => {
	await page.goto('/clients');
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/api/trpc/clients.list**', async (route) => {
		await held;
		await route.continue();
	});
	await page.getByLabel('Status').selectOption('active');
	await expect(page.getByRole('table')).toHaveAttribute('aria-busy', 'true');
	await expect(page.getByRole('progressbar', { name: 'Loading page' })).toBeVisible();
	release();
	await expect(page).toHaveURL(/status=active/);
	await expect(page.getByRole('table')).toHaveAttribute('aria-busy', 'false');
});

test('a failed load shows an error with Retry', async ({ page }) => {
	await page.goto('/clients');
	await page.route('**/api/trpc/clients.list**', (route) => route.fulfill({ status: 500, body: 'upstream failure' }));
	await page.getByLabel('Status').selectOption('blocked');
	await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
	await expect(page.getByText('The console could not load this page.')).toBeVisible();
	await page.unroute('**/api/trpc/clients.list**');
	await page.getByRole('button', { name: 'Retry' }).click();
	await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
	await expect(page).toHaveURL(/status=blocked/);
});
