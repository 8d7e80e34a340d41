import { test, expect, type Browser, type Page } from '@playwright/test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { STORAGE, createClientViaApi, uniqueName } from './support';

const PASSWORD = 'amber-quarry-whistle-73';

const workspaceTab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Client workspace' }).getByRole('link', { name, exact: true });

/** The code an authenticator app shows for `secret`, `steps` periods from now (as a phone would). */
function totpCode(secret: string, steps = 0): string {
	const key = decodeBase32IgnorePadding(secret.replace(/\s+/g, ''));
	return generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + steps), 6);
}

/**
 * A fresh client whose owner has a password, set the way staff would arrange it: the Authentication
 * tab's "Send reset link", the link read from the stored mail, the /set-password page.
 */
async function clientOwnerWithPassword(browser: Browser): Promise<{ clientId: string; email: string; name: string }> {
	const staff = await browser.newContext({ storageState: STORAGE.admin });
	const client = await createClientViaApi(staff.request, uniqueName('Auth'));
	const page = await staff.newPage();
	await page.goto(`/clients/${client.id}/summary`);
	await workspaceTab(page, 'Authentication').click();
	const actions = page.getByRole('group', { name: `Actions for ${client.name}` });
	await actions.getByRole('button', { name: 'Send reset link' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'A reset link was sent to' })).toBeVisible();

	await page.goto('/mail');
	await page.getByRole('row').filter({ hasText: client.email }).getByRole('link').first().click();
	const href = await page.getByRole('link', { name: /\/set-password\?token=/ }).getAttribute('href');
	await staff.close();

	const owner = await browser.newContext();
	const ownerPage = await owner.newPage();
	const url = new URL(href ?? '');
	await ownerPage.goto(url.pathname + url.search);
	await expect(ownerPage.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
	await ownerPage.getByLabel('New password').fill(PASSWORD);
	await ownerPage.getByLabel('Confirm password').fill(PASSWORD);
	await ownerPage.getByRole('button', { name: 'Set password' }).click();
	await expect(ownerPage.getByRole('heading', { name: 'Your password is set' })).toBeVisible();
	await owner.close();
	return { clientId: client.id, email: client.email, name: client.name };
}

async function passwordStep(page: Page, email: string) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a client user enrols an authenticator app, and sign-in then asks for its code', async ({ browser }) => {
	const owner = await clientOwnerWithPassword(browser);
	const context = await browser.newContext();
	const page = await context.newPage();
	await passwordStep(page, owner.email);
	await expect(page).toHaveURL(/\/clients\/.+\/summary/);

	await workspaceTab(page, 'Authentication').click();
	await page.getByRole('link', { name: 'Open your security settings' }).click();
	await expect(page.getByRole('heading', { name: 'Security settings' })).toBeVisible();

	await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
	await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
	const secret = (await page.getByLabel('Setup key').textContent()) ?? '';

	await page.getByLabel('Authentication code').fill(totpCode(secret, 5));
	await page.getByRole('button', { name: 'Turn on two-factor' }).click();
	await expect(page.getByText('That code is not right.')).toBeVisible();

	await page.getByLabel('Authentication code').fill(totpCode(secret));
	await page.getByRole('button', { name: 'Turn on two-factor' }).click();
	const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
	await expect(codes).toHaveCount(10);
	await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
	await expect(page.getByText('of 10 recovery codes left')).toBeVisible();

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login/);

	await passwordStep(page, owner.email);
	const code = page.getByLabel('Authentication code');
	await expect(code).toBeVisible();
	await expect(code).toBeFocused();
	// The enrolment used this 30-second step's code; an app shows the next one a moment later.
	await code.fill(totpCode(secret, 1));
	await page.getByRole('button', { name: 'Verify and sign in' }).click();
	await expect(page).toHaveURL(/\/clients\/.+\/summary/);
	await context.close();
});

test('staff block a user whose page is open: it goes to sign-in at once and says why', async ({ browser }) => {
	const owner = await clientOwnerWithPassword(browser);
	const ownerContext = await browser.newContext();
	const ownerPage = await ownerContext.newPage();
	await passwordStep(ownerPage, owner.email);
	await expect(ownerPage).toHaveURL(/\/clients\/.+\/summary/);

	const staff = await (await browser.newContext({ storageState: STORAGE.admin })).newPage();
	await staff.goto(`/clients/${owner.clientId}/authentication`);
	// The owner's session is listed, live.
	await expect(staff.getByRole('table', { name: 'Active sessions' }).getByRole('row').filter({ hasText: owner.name })).toHaveCount(1);

	await staff.getByRole('group', { name: `Actions for ${owner.name}` }).getByRole('button', { name: 'Block' }).click();
	const dialog = staff.getByRole('dialog', { name: `Block ${owner.name}` });
	await dialog.getByRole('button', { name: 'Block user' }).click();
	await expect(dialog.getByText('Give a reason')).toBeVisible();
	await dialog.getByLabel('Reason').fill('Abuse report 4711: credential sharing');
	await dialog.getByRole('button', { name: 'Block user' }).click();
	await expect(dialog).toBeHidden();

	await expect(ownerPage).toHaveURL(/\/login/);
	await expect(ownerPage.getByRole('status').filter({ hasText: 'This account is blocked' })).toBeVisible();
	await expect(staff.getByRole('table', { name: 'Active sessions' }).getByRole('row').filter({ hasText: owner.name })).toHaveCount(0);
	await expect(staff.getByText('Blocked', { exact: true })).toBeVisible();

	// Signing in again is refused.
	await passwordStep(ownerPage, owner.email);
	await expect(ownerPage.getByRole('alert')).toContainText('This account is blocked');
	await ownerContext.close();
});
