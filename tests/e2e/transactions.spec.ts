import { test, expect, type Page } from '@playwright/test';
import { STORAGE, createClientViaApi, uniqueName } from './support';

/** The balance as cents, read from the formatted text ("€1,234.56" -> 123456n, "-€5.00" -> -500n). */
async function balanceCents(page: Page): Promise<bigint> {
	const text = (await page.getByLabel('Credit balance').textContent()) ?? '';
	const digits = BigInt(text.replace(/[^0-9]/g, ''));
	return text.includes('-') ? -digits : digits;
}

test('the Acme owner buys credits with the test card and sees the balance update live; a declined card adds nothing', async ({ browser }) => {
	const owner = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const page = await owner.newPage();
	await page.goto('/');
	await expect(page).toHaveURL(/\/clients\/[0-9a-f-]{36}\/summary$/);
	await page.getByRole('link', { name: 'Transactions' }).click();
	await expect(page.getByRole('heading', { name: 'Transactions', level: 2 })).toBeVisible();
	const before = await balanceCents(page);

	const form = page.getByRole('form', { name: 'Buy credits' });
	await form.getByLabel('Amount (EUR)').fill('12.345');
	await form.getByLabel('Card number').fill('4242 4242 4242 4242');
	await form.getByRole('button', { name: 'Pay with card' }).click();
	await expect(form.getByText('EUR has at most 2 decimals.')).toBeVisible();

	await form.getByLabel('Amount (EUR)').fill('12.34');
	// A double click is one charge: the form's idempotency key is the same for both.
	await form.getByRole('button', { name: 'Pay with card' }).dblclick();
	await expect(form.getByRole('status')).toContainText('Payment of 12.34 EUR is being confirmed');
	// Confirmed asynchronously by the gateway job; the page hears ledger.changed without a reload.
	await expect(form.getByRole('status')).toContainText('succeeded: credits added', { timeout: 20_000 });
	await expect.poll(() => balanceCents(page)).toBe(before + 1234n);
	const list = page.getByRole('region', { name: 'Transactions list' });
	await expect(list.getByRole('row').filter({ hasText: '€12.34' })).toHaveCount(1);

	await form.getByLabel('Amount (EUR)').fill('5.00');
	await form.getByLabel('Card number').fill('4000 0000 0000 0002');
	await form.getByRole('button', { name: 'Pay with card' }).click();
	await expect(form.getByRole('status')).toContainText('Payment of 5.00 EUR failed');
	await expect(list.getByRole('row').filter({ hasText: 'The card was declined.' }).first()).toBeVisible();
	expect(await balanceCents(page)).toBe(before + 1234n);
	await owner.close();
});

test('staff record an offline payment and a manual adjustment, filter by type and export the CSV', async ({ browser }) => {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const page = await staff.newPage();
	const client = await createClientViaApi(staff.request, uniqueName('Ledger'));
	await page.goto(`/clients/${client.id}/transactions`);
	await expect(page.getByLabel('Credit balance')).toHaveText('€0.00');

	const reference = `BANK-${Date.now()}`;
	await page.getByRole('button', { name: 'Record offline payment' }).click();
	const dialog = page.getByRole('dialog', { name: 'Record offline payment' });
	await dialog.getByLabel('Amount (EUR)').fill('250.00');
	await dialog.getByLabel('Payment reference').fill(reference);
	await dialog.getByRole('button', { name: 'Record payment' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByLabel('Credit balance')).toHaveText('€250.00');
	const list = page.getByRole('region', { name: 'Transactions list' });
	await expect(list.getByRole('row').filter({ hasText: reference })).toContainText('Succeeded');

	await page.getByRole('button', { name: 'Manual adjustment' }).click();
	const adjust = page.getByRole('dialog', { name: 'Manual adjustment' });
	await adjust.getByLabel('Amount (EUR)').fill('-10.50');
	await adjust.getByRole('button', { name: 'Adjust balance' }).click();
	await expect(adjust.getByText('Say why the balance is adjusted.')).toBeVisible();
	await adjust.getByLabel('Reason').fill('Goodwill reversal');
	await adjust.getByRole('button', { name: 'Adjust balance' }).click();
	await expect(adjust).toBeHidden();
	await expect(page.getByLabel('Credit balance')).toHaveText('€239.50');

	await page.getByLabel('Type').selectOption('adjustment');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/kind=adjustment/);
	await expect(list.getByRole('row')).toHaveCount(2);
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Export CSV' }).click();
	const file = await (await download).path();
	const { readFile } = await import('node:fs/promises');
	const csv = await readFile(file, 'utf8');
	expect(csv.trim().split('\n')).toHaveLength(2);
	expect(csv).toContain('adjustment,manual,,-10.50,EUR,succeeded,,Goodwill reversal');
	await staff.close();
});
