import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startHubProcess } from '../test/support/process';

/**
 * `npm run bench:backup`: an online backup of the embedded database while requests that touch it (`/api/readyz`
 * runs `SELECT 1`) keep coming. Prints the backup's wall time and size and the slowest request during it: how long the
 * running hub pauses its database for the copy.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-backup-'));
  const hub = await startHubProcess({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', BOOTSTRAP_API_KEY: `ihk_${'b'.repeat(43)}` }, 120_000);
  try {
    const url = `${hub.url}/api/readyz`;
    for (let run = 1; run <= 3; run++) {
      let max = 0;
      let count = 0;
      let stop = false;
      const loop = (async () => {
        while (!stop) {
          const t = performance.now();
          await fetch(url).then((r) => r.text());
          max = Math.max(max, performance.now() - t);
          count++;
        }
      })();
      const file = join(dataDir, `bench-${run}.tgz`);
      const t0 = performance.now();
      await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'backup', file], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' } });
      const wall = performance.now() - t0;
      stop = true;
      await loop;
      console.log(
        JSON.stringify({ run, backupWallMs: Math.round(wall), backupBytes: statSync(file).size, requestsDuringBackup: count, slowestRequestMs: Math.round(max) }),
      );
    }
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
