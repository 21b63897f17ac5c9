import { ConfigError, displayValue } from './config-error';
import { loadConfig } from './hub-config';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration errors', () => {
  it('give one line per variable: the type problem, the value and an example', () => {
    expect(problems({ PORT: 'abc' })).toEqual(['PORT: must be an integer number, got "abc" (for example PORT=3000)']);
    expect(problems({ MIGRATIONS_RUN: 'yes' })).toEqual(['MIGRATIONS_RUN: must be a boolean value, got "yes" (for example MIGRATIONS_RUN=true)']);
  });

  it('never echo a secret, and mask URL passwords', () => {
    const [line] = problems({ BOOTSTRAP_API_KEY: 'ihk_short' });
    expect(line).toMatch(/^BOOTSTRAP_API_KEY: must be 32-256 characters without spaces, got \(hidden\) \(for example BOOTSTRAP_API_KEY=ihk_\$\(openssl/);
    expect(line).not.toContain('ihk_short');
    expect(displayValue('DATABASE_URL', 'mysql://root:hunter2@db/hub')).toBe('"mysql://root:***@db/hub"');
  });

  it('check what the schema cannot: key lengths, repeated key ids, private keys, JSON', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(problems({ ENCRYPTION_KEYS: `a:${key},a:${key}` })).toEqual([
      "ENCRYPTION_KEYS: key id 'a' appears twice; every key needs its own id (for example ENCRYPTION_KEYS=k1:$(openssl rand -base64 32))",
    ]);
    expect(problems({ GITHUB_APP_PRIVATE_KEY: 'not a key', DOMAIN_CONNECT_PROVIDERS: '[{' })).toEqual([
      expect.stringMatching(/^DOMAIN_CONNECT_PROVIDERS: is not valid JSON/),
      expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY: is not a PEM private key/),
    ]);
    expect(problems({ GITHUB_APP_PRIVATE_KEY: '@/nonexistent/key.pem' })).toEqual([
      'GITHUB_APP_PRIVATE_KEY: cannot read the file /nonexistent/key.pem (ENOENT) (for example GITHUB_APP_PRIVATE_KEY=@/run/secrets/github-app.pem)',
    ]);
  });
});
