import { test, expect, type BrowserContext, type Page, type WebSocketRoute } from '@playwright/test';
import { STORAGE, createClientViaApi, setStatusViaApi, uniqueName } from './support';

/**
 * Two browsers on one client: what the first changes appears in the second's Activity tab without
 * a reload, and what changes while the second is offline appears once it is back.
 */

/**
 * Chromium's offline emulation does not close a WebSocket that is already open, so the page would
 * never notice. The socket is routed through the test: going offline also closes it (and refuses
 * new ones), the way a dropped network does.
 */
async function controllableNetwork(context: BrowserContext) {
	let offline = false;
	const open = new Set<WebSocketRoute>();
	await context.routeWebSocket(/\/socket\.io\//, (ws) => {
		if (offline) {
			void ws.close({ code: 1006 });
			return;
		}
		ws.connectToServer();
		open.add(ws);
		ws.onClose(() => open.delete(ws));
	});
	return {
		async goOffline() {
			offline = true;
			await context.setOffline(true);
			for (const ws of open) await ws.close({ code: 1006 });
			open.clear();
		},
		async goOnline() {
			offline = false;
			await context.setOffline(false);
		}
	};
}

/** Marks the document, so a test can tell a live update from a reload. */
const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { e2eMark: string }).e2eMark = 'still here'));
const markSurvived = (page: Page) => page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark === 'still here');

test('a change in one browser appears live in another; changes made while it was offline appear when it is back', async ({ browser }) => {
	test.setTimeout(90_000);
	const changer = await browser.newContext({ storageState: STORAGE.admin });
	const watcher = await browser.newContext({ storageState: STORAGE.admin });
	const network = await controllableNetwork(watcher);
	try {
		const editor = await changer.newPage();
		const client = await createClientViaApi(editor.request, uniqueName('E2E Live'));

		const wall = await watcher.newPage();
		await wall.goto(`/clients/${client.id}/activity`);
		const log = wall.getByRole('region', { name: 'Activity log' });
		const entries = log.getByRole('listitem');
		await expect(entries).toHaveCount(1);
		await expect(entries.first()).toContainText(`Created client ${client.name}`);
		await expect(log.getByText('Live: new entries appear at the top as they happen.')).toBeVisible();
		await markDocument(wall);

		// The first browser changes the status on Summary.
		await editor.goto(`/clients/${client.id}/summary`);
		await editor.getByRole('button', { name: 'Change status' }).click();
		const dialog = editor.getByRole('dialog', { name: 'Change status' });
		await dialog.getByLabel('Status').selectOption('suspended');
		await dialog.getByLabel('Reason').fill('Live e2e first change');
		await dialog.getByRole('button', { name: 'Save status' }).click();
		await expect(dialog).toBeHidden();

		// The second shows it at the top, marked new, without a reload.
		await expect(entries).toHaveCount(2);
		await expect(entries.first()).toContainText('Changed status from active to suspended: Live e2e first change');
		await expect(entries.first()).toContainText('New');
		await expect(log.getByRole('status')).toHaveText('1 new entry since you opened this view.');
		expect(await markSurvived(wall)).toBe(true);

		// Its readable diff: field: old → new.
		await entries.first().getByText('Details').click();
		await expect(entries.first().getByRole('list', { name: 'Changes' })).toContainText(/status:\s*was\s+active\s*→\s*now\s+suspended/);
		// Closed again, so the diff's own list items are not counted as entries below.
		await entries.first().getByText('Details').click();
		await expect(entries).toHaveCount(2);

		await network.goOffline();
		await expect(wall.getByText('Live updates paused')).toBeVisible();

		await setStatusViaApi(editor.request, client.id, 'active', 'Live e2e while offline one');
		await setStatusViaApi(editor.request, client.id, 'blocked', 'Live e2e while offline two');
		// Nothing can arrive while offline.
		await expect(entries).toHaveCount(2);

		await network.goOnline();
		await expect(wall.getByText('Live updates paused')).toBeHidden({ timeout: 20_000 });
		await expect(entries).toHaveCount(4);
		await expect(entries.nth(0)).toContainText('Changed status from active to blocked: Live e2e while offline two');
		await expect(entries.nth(1)).toContainText('Changed status from suspended to active: Live e2e while offline one');
		await expect(entries.nth(2)).toContainText('Live e2e first change');
		expect(await markSurvived(wall)).toBe(true);
	} finally {
		await changer.close();
		await watcher.close();
	}
});

test('the live feed keeps to the filters the page shows', async ({ browser }) => {
	const changer = await browser.newContext({ storageState: STORAGE.admin });
	const watcher = await browser.newContext({ storageState: STORAGE.admin });
	try {
		const editor = await changer.newPage();
		const client = await createClientViaApi(editor.request, uniqueName('E2E Live filter'));
		const wall = await watcher.newPage();
		await wall.goto(`/clients/${client.id}/activity?search=${encodeURIComponent('"Live filter match"')}`);
		const entries = wall.getByRole('region', { name: 'Activity log' }).getByRole('listitem');
		await expect(wall.getByText('No entries match these filters.')).toBeVisible();
		await markDocument(wall);

		await setStatusViaApi(editor.request, client.id, 'suspended', 'Something else entirely');
		await setStatusViaApi(editor.request, client.id, 'active', 'Live filter match');
		await expect(entries).toHaveCount(1);
		await expect(entries.first()).toContainText('Changed status from suspended to active: Live filter match');
		expect(await markSurvived(wall)).toBe(true);
	} finally {
		await changer.close();
		await watcher.close();
	}
});
