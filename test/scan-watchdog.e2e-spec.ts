import { ScanProcessor } from '../src/scan/scan.processor';
import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { clearRedisPrefix, startTestHub, TestHub } from './support/hub-harness';

/**
 * A scan left `scanning` with no lease and no queue job (its worker released the lease for a retry, then Redis
 * restarted empty and the retry was lost) is resumed by the watchdog: before, it stayed stuck forever and every
 * new scan request answered the stuck one.
 */
describe('scan watchdog: a missing lease counts as expired', () => {
  let fake: FakeGithub;
  let t: TestHub;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 5 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', SCAN_LEASE_SECONDS: '1', SCAN_WATCHDOG_INTERVAL_MS: '200' } });
    await connectInstallation(t, fake.installation.id, fake.installation.account.login);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const progress = async () => (await http(t.url, 'GET', '/api/integrations/github/scan-progress', { key: t.key })).body;

  it('resumes a scanning scan with a NULL lease whose retry job was lost, and new scans start again', async () => {
    const started = await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key });
    expect(started.status).toBe(202);
    const scanId = started.body.scanId as string;
    await waitFor(async () => (await progress()).status === 'completed', 30_000);

    // What a released lease and an emptied Redis leave behind: scanning, no lease, no job, last touched a while ago.
    await clearRedisPrefix(t.env.QUEUE_PREFIX);
    await t.db.query(
      `UPDATE github_scans SET status = 'scanning', lease_owner = NULL, lease_until = NULL, finished_at = NULL, updated_at = now() - interval '1 minute' WHERE id = $1`,
      [scanId],
    );
    expect((await progress()).status).toBe('scanning');
    // While it is stuck, a scan request answers the stuck one.
    expect((await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key })).body.scanId).toBe(scanId);

    const row = await waitFor(async () => {
      const r = (await t.db.query('SELECT status, lease_until, repos_scanned FROM github_scans WHERE id = $1', [scanId])).rows[0];
      return r.status === 'completed' ? r : null;
    }, 15_000);
    expect(row).toMatchObject({ status: 'completed', lease_until: null, repos_scanned: 5 });
    const next = await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key });
    expect(next.status).toBe(202);
    expect(next.body.scanId).not.toBe(scanId);
  });

  it('leaves a released lease alone while its retry may still come', async () => {
    // A completed scan of its own (or the one already running, which a scan request answers with).
    const { scanId } = (await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key })).body as { scanId: string };
    await waitFor(async () => {
      const p = await progress();
      return p.scanId === scanId && p.status === 'completed';
    }, 30_000);
    await t.db.query(`UPDATE github_scans SET status = 'scanning', lease_owner = NULL, lease_until = NULL, finished_at = NULL, updated_at = now() + interval '1 hour' WHERE id = $1`, [scanId]);
    // A watchdog round (run here directly, so the check does not depend on timing) does not take it over.
    await t.hub.app.get(ScanProcessor).resumeOrphans();
    expect((await t.db.query('SELECT status FROM github_scans WHERE id = $1', [scanId])).rows[0].status).toBe('scanning');
    await t.db.query(`UPDATE github_scans SET status = 'completed', finished_at = now() WHERE id = $1`, [scanId]);
  });
});
