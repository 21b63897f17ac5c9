import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { startTestHub, TestHub } from './support/hub-harness';

/** Debian's Chromium (tools/ensure-services.sh installs it); playwright-core drives it, no browser is downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('docs in a browser: authorize with a key and try GET /api/users/@me', () => {
  let t: TestHub;
  let profile: string;
  let browser: BrowserContext;
  beforeAll(async () => {
    t = await startTestHub({ redis: false });
    profile = mkdtempSync(join(tmpdir(), 'hub-chromium-'));
    // A fresh profile per run: launchPersistentContext passes it as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens /docs from /, shows the introduction, authorizes and runs "Try it out"', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/docs\/?$/);
    await page.locator('.swagger-ui .information-container').getByRole('heading', { name: 'Authentication' }).waitFor();

    // Authorize with the key in the bearer scheme.
    await page.locator('.swagger-ui button.authorize').first().click();
    // The schemes are listed by name: api_key (http bearer) comes before api_key_token.
    const bearer = page.locator('.auth-container').first();
    await expect(bearer.innerText()).resolves.toContain('Bearer');
    await bearer.locator('input').first().fill(t.key);
    await bearer.locator('button.authorize').click();
    await bearer.locator('button', { hasText: 'Logout' }).waitFor();
    await page.locator('.modal-ux button.btn-done, .modal-ux button.close-modal').first().click();

    // GET /api/users/@me → Try it out → Execute.
    const op = page.locator('#operations-users-getCurrentUser');
    await op.locator('.opblock-summary').first().click();
    await op.locator('button.try-out__btn').click();
    await op.locator('button.execute').click();

    const live = op.locator('.live-responses-table .response').first();
    await live.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
    const body = JSON.parse(await live.locator('.response-col_description pre').first().innerText());
    expect(body).toMatchObject({ id: t.userId, organizations: [expect.objectContaining({ id: t.organizationId, role: 'owner' })], scopes: expect.arrayContaining(['*']) });
    // The request Swagger UI sent carried the key as a bearer token.
    await expect(op.locator('.curl-command').innerText()).resolves.toContain(`Authorization: Bearer ${t.key}`);
  });
});
