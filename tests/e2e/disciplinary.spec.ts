import { test, expect } from '@playwright/test';
import { STORAGE, createClientViaApi, uniqueName } from './support';

test('staff restrict Acme: the owner sees the banner appear live on an open page, and disappear when lifted', async ({ browser }) => {
	const owner = await browser.newContext({ storageState: STORAGE.acmeOwner });
	const ownerPage = await owner.newPage();
	await ownerPage.goto('/');
	await expect(ownerPage).toHaveURL(/\/clients\/[0-9a-f-]{36}\/summary$/);
	const acmeId = ownerPage.url().match(/\/clients\/([0-9a-f-]{36})\//)?.[1] as string;
	const ownerBanner = ownerPage.getByRole('region', { name: 'Account restrictions' });
	await expect(ownerBanner).toHaveCount(0);

	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const staffPage = await staff.newPage();
	await staffPage.goto(`/clients/${acmeId}/disciplinary`);
	await expect(staffPage.getByRole('heading', { name: 'Disciplinary actions' })).toBeVisible();
	const reason = `Phishing pages reported ${uniqueName('ticket')}`;
	const evidence = `Evidence ${uniqueName('abuse-desk')}: three URL reports`;
	await staffPage.getByRole('button', { name: 'New action' }).click();
	const form = staffPage.getByRole('dialog', { name: 'New disciplinary action' });
	await form.getByLabel('Type').selectOption('restriction');
	await form.getByLabel('No new resources').check();
	await form.getByLabel('Reason category').selectOption('abuse');
	await form.getByLabel('Reason', { exact: true }).fill(reason);
	await form.getByLabel('Evidence note').fill(evidence);
	await form.getByRole('button', { name: 'Apply action' }).click();
	await expect(form).toBeHidden();

	const history = staffPage.getByRole('region', { name: 'Disciplinary history' });
	const row = history.getByRole('row').filter({ hasText: reason });
	await expect(row).toContainText('Restriction');
	await expect(row).toContainText('no new resources');
	await expect(row).toContainText(evidence);
	await expect(row).toContainText('active');
	await expect(staffPage.getByRole('region', { name: 'Account restrictions' })).toContainText(reason);

	// The owner's page was not reloaded: the banner arrives over the socket.
	await expect(ownerBanner).toContainText('Your account is restricted (Abuse): no new resources.');
	await expect(ownerBanner).not.toContainText(evidence);
	// On every tab, including the owner's view of the history, which never shows the evidence.
	await ownerPage.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name: 'Disciplinary' }).click();
	await expect(ownerPage.getByRole('region', { name: 'Disciplinary history' })).toContainText(reason);
	await expect(ownerBanner).toBeVisible();
	await expect(ownerPage.getByText(evidence)).toHaveCount(0);
	await expect(ownerPage.getByRole('button', { name: 'New action' })).toHaveCount(0);

	await row.getByRole('button', { name: /^Lift restriction/ }).click();
	const lift = staffPage.getByRole('dialog', { name: /^Lift restriction/ });
	await lift.getByRole('button', { name: 'Lift action' }).click();
	await expect(lift.getByText('Give a reason of at least 3 characters.')).toBeVisible();
	await lift.getByLabel('Reason for lifting').fill('Pages taken down by the client');
	await lift.getByRole('button', { name: 'Lift action' }).click();
	await expect(lift).toBeHidden();
	await expect(row).toContainText('lifted');
	await expect(row).toContainText('Pages taken down by the client');

	await expect(ownerBanner).toHaveCount(0);
	await expect(ownerPage.getByRole('region', { name: 'Disciplinary history' }).getByRole('row').filter({ hasText: reason })).toContainText('lifted');
	await owner.close();
	await staff.close();
});

test('the form checks its fields, and a termination is confirmed by typing the client name', async ({ browser }) => {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const page = await staff.newPage();
	const client = await createClientViaApi(page.request, uniqueName('E2E Discipline'));
	await page.goto(`/clients/${client.id}/disciplinary`);
	await expect(page.getByText('No disciplinary actions.')).toBeVisible();

	await page.getByRole('button', { name: 'New action' }).click();
	const form = page.getByRole('dialog', { name: 'New disciplinary action' });
	await form.getByLabel('Type').selectOption('restriction');
	await form.getByLabel('Start').fill('2099-06-01T10:00');
	await form.getByLabel('End').fill('2099-05-01T10:00');
	await form.getByRole('button', { name: 'Apply action' }).click();
	await expect(form.getByText('Choose at least one thing the restriction forbids.')).toBeVisible();
	await expect(form.getByText('Give a reason of at least 3 characters.')).toBeVisible();
	await expect(form.getByText('The end must be after the start.')).toBeVisible();
	await expect(form.getByLabel('End')).toHaveAttribute('aria-invalid', 'true');

	await form.getByLabel('Type').selectOption('termination');
	await expect(form.getByLabel('End')).toHaveCount(0);
	await form.getByLabel('Reason category').selectOption('fraud');
	await form.getByLabel('Reason', { exact: true }).fill('Stolen card payments');
	await form.getByLabel('Start').fill('');
	const terminate = form.getByRole('button', { name: 'Terminate account' });
	await expect(terminate).toBeDisabled();
	await form.getByLabel("Type the client's name to confirm").fill(client.name);
	await terminate.click();
	await expect(form).toBeHidden();

	const details = page.getByRole('region', { name: 'Client details' });
	await expect(details.getByText('terminated', { exact: true })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Account restrictions' })).toContainText('Terminated (Fraud)');
	const row = page.getByRole('region', { name: 'Disciplinary history' }).getByRole('row').filter({ hasText: 'Stolen card payments' });
	await expect(row).toContainText('active');
	// Permanent: no lift, and no further action.
	await expect(row.getByRole('button', { name: /^Lift/ })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'New action' })).toHaveCount(0);
	await staff.close();
});
