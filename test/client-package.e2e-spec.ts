import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startTestHub, TestHub } from './support/hub-harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** npm beside the node running the tests; the registry only for what the local cache lacks. */
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

const SCRIPT = `
import { createHubClient, HubApiError, unwrap, type HubErrorBody } from '@integrations-hub/client';

// No @types/node in the scratch project: the package's types stand on their own (lib DOM for fetch).
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

async function main(): Promise<void> {
  const hub = createHubClient({ baseUrl: process.env.HUB_URL!, apiKey: process.env.HUB_API_KEY });
  const me = unwrap(await hub.GET('/api/users/@me'));
  const key = unwrap(await hub.POST('/api/personal_api_keys', { body: { label: 'from the scratch project', scopes: ['organization:read'] } }));
  const narrow = createHubClient({ baseUrl: process.env.HUB_URL!, apiKey: key.value });
  const orgs = unwrap(await narrow.GET('/api/organizations', { params: { query: { limit: 1 } } }));
  let error: { status: number; code?: string; requestId: string | null; message: string } | undefined;
  try {
    unwrap(await createHubClient({ baseUrl: process.env.HUB_URL!, apiKey: 'ihk_not-a-key' }).GET('/api/users/@me'));
  } catch (err) {
    if (!(err instanceof HubApiError)) throw err;
    const body: HubErrorBody = err.body as HubErrorBody;
    error = { status: err.status, code: body.code, requestId: err.requestId, message: err.message };
  }
  console.log(JSON.stringify({ email: me.email, keyPrefix: key.value.slice(0, 4), orgs: { count: orgs.count, limit: orgs.limit, next: orgs.next, first: orgs.results[0]?.id }, error }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

describe('the typed client, installed as a package into a scratch project', () => {
  let t: TestHub;
  let dir: string;
  let app: string;
  // Both tests use one installed package: built, packed and installed by path into a scratch project once.
  beforeAll(async () => {
    t = await startTestHub({ redis: false });
    dir = mkdtempSync(join(tmpdir(), 'hub-client-'));
    // Build and pack a copy, so the test never writes into the repository.
    const pkg = join(dir, 'pkg');
    cpSync(join(ROOT, 'clients', 'typescript'), pkg, { recursive: true, filter: (src) => !/[\\/](dist|node_modules)([\\/]|$)/.test(src.slice(ROOT.length)) && !src.endsWith('.tgz') });
    // The build resolves openapi-fetch's types from the repository's node_modules (not packed: `files` is dist and README).
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    await run(process.execPath, [TSC, '-p', join(pkg, 'tsconfig.json')], { env: ENV });
    cpSync(join(pkg, 'schema.d.ts'), join(pkg, 'dist', 'schema.d.ts'));
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: pkg, env: ENV });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBe('integrations-hub-client-0.1.0.tgz');

    app = join(dir, 'app');
    cpSync(join(ROOT, 'clients', 'typescript', 'README.md'), join(app, 'README.md'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    await run('npm', ['install', '--prefer-offline', '--no-package-lock', join(dir, tarball!)], { cwd: app, env: ENV, timeout: 240_000 });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('packs, installs by path, compiles against the types and calls the hub', async () => {
    writeFileSync(join(app, 'main.ts'), SCRIPT);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, outDir: 'out', skipLibCheck: false, types: [] }, files: ['main.ts'] }),
    );
    await run(process.execPath, [TSC, '-p', join(app, 'tsconfig.json')], { env: ENV });

    const { stdout } = await run(process.execPath, [join(app, 'out', 'main.js')], { cwd: app, env: { ...ENV, HUB_URL: t.url, HUB_API_KEY: t.key } });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      email: expect.stringContaining('@'),
      keyPrefix: 'ihk_',
      orgs: { count: 1, limit: 1, next: null, first: t.organizationId },
      error: { status: 401, code: 'UNAUTHENTICATED', requestId: expect.any(String) },
    });
  }, 300_000);

  it('refuses to compile a call the contract does not allow', async () => {
    writeFileSync(join(app, 'bad.ts'), `import { createHubClient } from '@integrations-hub/client';\nvoid createHubClient({ baseUrl: 'x' }).POST('/api/personal_api_keys', { body: { label: 1 } });\n`);
    writeFileSync(join(app, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] }, files: ['bad.ts'] }));
    await expect(run(process.execPath, [TSC, '-p', join(app, 'tsconfig.bad.json')], { env: ENV })).rejects.toMatchObject({ stdout: expect.stringContaining('bad.ts') });
  });
});
