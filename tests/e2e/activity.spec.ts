import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { STORAGE, clientIdFromList, createClientViaApi, setStatusViaApi, uniqueName } from './support';

/** Today in the browser's zone as the date input holds it (tests run in the machine's zone). */
const localDay = (offsetDays = 0) => {
	const date = new Date();
	date.setDate(date.getDate() + offsetDays);
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

test.describe('staff', () => {
	test.use({ storageState: STORAGE.admin });

	test('filter the log by action, search and dates, with the state in the URL', async ({ page }) => {
		const client = await createClientViaApi(page.request, uniqueName('E2E Activity'));
		await setStatusViaApi(page.request, client.id, 'suspended', 'Quarterly review pending');
		await setStatusViaApi(page.request, client.id, 'active', 'Review passed');

		await page.goto(`/clients/${client.id}/summary`);
		await page.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Activity' }).click();
		await expect(page).toHaveURL(`/clients/${client.id}/activity`);
		const entries = page.getByRole('region', { name: 'Activity log' }).getByRole('listitem');
		await expect(entries).toHaveCount(3);
		await expect(entries.first()).toContainText('Changed status from suspended to active: Review passed');
		await expect(entries.first()).toContainText('Ada Admin');
		await expect(entries.first()).toContainText('Client status changed');

		const filters = page.getByRole('search', { name: 'Filter activity' });
		await filters.getByLabel('Action').selectOption({ label: 'Client created' });
		await expect(page).toHaveURL(/action=client\.created/);
		await expect(entries).toHaveCount(1);
		await expect(entries.first()).toContainText(`Created client ${client.name}`);

		await page.getByRole('link', { name: 'Clear filters' }).first().click();
		await expect(entries).toHaveCount(3);
		await filters.getByLabel('Search').fill('quarterly');
		await filters.getByRole('button', { name: 'Apply filters' }).click();
		await expect(page).toHaveURL(/search=quarterly/);
		await expect(entries).toHaveCount(1);
		await expect(entries.first()).toContainText('Quarterly review pending');

		// The URL alone restores the filters.
		await page.reload();
		await expect(filters.getByLabel('Search')).toHaveValue('quarterly');
		await expect(entries).toHaveCount(1);

		await page.goto(`/clients/${client.id}/activity?from=${localDay()}&to=${localDay()}`);
		await expect(entries).toHaveCount(3);
		await page.goto(`/clients/${client.id}/activity?from=${localDay(1)}`);
		await expect(page.getByText('No entries match these filters.')).toBeVisible();

		await page.goto(`/clients/${client.id}/activity?from=${localDay()}&to=${localDay(-1)}`);
		await expect(filters.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
		await expect(filters.getByText('The end date must not be before the start date.')).toBeVisible();
		await expect(page.getByRole('alert')).toContainText('Some fields need attention.');
	});

	test('export the filtered log as CSV', async ({ page }) => {
		const client = await createClientViaApi(page.request, uniqueName('E2E Export'));
		await setStatusViaApi(page.request, client.id, 'suspended', '=cmd|calc export check');
		await page.goto(`/clients/${client.id}/activity?action=client.status_changed`);
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Export CSV' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toMatch(/^activity-e2e-export-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv$/);
		const text = await readFile((await download.path()) as string, 'utf8');
		const lines = text.trim().split('\n');
		expect(lines[0]).toBe('time,actor,as,action,target type,target id,summary,before,after,ip,user agent');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toContain(",client.status_changed,client,");
		// A cell that would start with "=" is neutralised (the summary here starts with text).
		expect(lines[1]).toContain(',Changed status from active to suspended: =cmd|calc export check,');
		expect(lines[1]).toContain(',Ada Admin,,');
	});

	test('Load more continues after the first page until the whole log is shown', async ({ page }) => {
		const client = await createClientViaApi(page.request, uniqueName('E2E Pages'));
		// 1 creation + 54 status changes: more than the first page of 50.
		for (let index = 0; index < 54; index++) {
			await setStatusViaApi(page.request, client.id, index % 2 === 0 ? 'suspended' : 'active', `Page check ${index}`);
		}
		await page.goto(`/clients/${client.id}/activity`);
		const entries = page.getByRole('region', { name: 'Activity log' }).getByRole('listitem');
		await expect(entries).toHaveCount(50);
		await expect(entries.first()).toContainText('Page check 53');
		await page.getByRole('button', { name: 'Load more' }).click();
		await expect(entries).toHaveCount(55);
		await expect(entries.last()).toContainText(`Created client ${client.name}`);
		await expect(page.getByText('That is the whole log for these filters.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
	});

	test("an unknown client's activity is 'Client not found', and so is its export", async ({ page }) => {
		await page.goto('/clients/00000000-0000-4000-8000-000000000000/activity');
		await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
		const response = await page.request.get('/clients/00000000-0000-4000-8000-000000000000/activity/export.csv');
		expect(response.status()).toBe(404);
	});
});

test.describe('client user', () => {
	test.use({ storageState: STORAGE.acmeOwner });

	test("the Acme owner sees its own log, and not another tenant's", async ({ page, browser }) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeVisible();
		await page.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Activity' }).click();
		await expect(page.getByRole('region', { name: 'Activity log' }).getByText('Created client Acme Corporation')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();

		const staff = await browser.newContext({ storageState: STORAGE.admin });
		const globexId = await clientIdFromList(await staff.newPage(), 'Globex');
		await staff.close();
		await page.goto(`/clients/${globexId}/activity`);
		await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
		const globexExport = await page.request.get(`/clients/${globexId}/activity/export.csv`);
		expect(globexExport.status()).toBe(404);
		expect(await globexExport.text()).toBe('Client not found');
	});
});
