import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntegrationProvider } from '../integrations/integration.enums';
import { Permission } from '../auth/roles';
import { ErrorCode } from '../common/error-codes';
import { IntegrationFlowsService } from '../integrations/integration-flows.service';
import { EnvironmentVariables } from './env.schema';
import type { HubConfig } from './hub-config';

const root = join(__dirname, '..', '..');
const guides = join(root, 'docs', 'providers');
const schema = Object.keys(new EnvironmentVariables()).concat(
  // Declared without a default: read their names from the schema's source.
  [...readFileSync(join(__dirname, 'env.schema.ts'), 'utf8').matchAll(/^\s*(?:@[^\n]*\s)*?([A-Z][A-Z0-9_]{2,})[?]?(?::| =)/gm)].map((m) => m[1]),
);
/** `<PROVIDER>_CLIENT_ID` and friends are read for any provider name (HubConfig.providers). */
const OAUTH_SETTING = /^([A-Z][A-Z0-9]*)_(CLIENT_ID|CLIENT_SECRET|AUTHORIZE_URL|TOKEN_URL|API_URL)$/;
const OAUTH_PROVIDERS = new Set(['SLACK', 'GITLAB', 'JIRA', 'DISCORD', 'TEAMS']);
/** Upper-case names the guides quote that are not variables: error codes and permissions. */
const NOT_VARIABLES = new Set<string>([...Object.values(ErrorCode), ...Object.values(Permission)]);

/** Upper-case names alone in backticks (`GITHUB_APP_ID`, `PORT=3000`): what an operator would set. */
function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/`([A-Z][A-Z0-9_]{2,})(?:=[^`]*)?`/g)].map((m) => m[1]))];
}

describe('provider setup guides (docs/providers)', () => {
  const files = readdirSync(guides).filter((f) => f.endsWith('.md'));

  it('has a guide per provider, linked from the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const provider of Object.values(IntegrationProvider)) {
      expect(files).toContain(`${provider}.md`);
      expect(readme).toContain(`docs/providers/${provider}.md`);
    }
  });

  it.each(readdirSync(guides).filter((f) => f.endsWith('.md')))('%s names only variables of the config schema', (file) => {
    const named = variablesIn(readFileSync(join(guides, file), 'utf8'));
    const unknown = named.filter((v) => {
      if (schema.includes(v) || NOT_VARIABLES.has(v)) return false;
      const oauth = OAUTH_SETTING.exec(v);
      return !oauth || !OAUTH_PROVIDERS.has(oauth[1]);
    });
    expect(unknown).toEqual([]);
  });

  it('catches a variable the schema does not have', () => {
    expect(variablesIn('set `GITHUB_APP_IDD`, `SLACK_CLIENT_ID` and `PORTT=3000`, not `GET /user`').filter((v) => !schema.includes(v) && !OAUTH_SETTING.test(v))).toEqual(['GITHUB_APP_IDD', 'PORTT']);
  });

  it('gives OAuth providers the exact redirect URI the hub sends', () => {
    const flows = new IntegrationFlowsService(null as never, null as never, { siteUrl: 'https://hub.example.com' } as HubConfig);
    for (const provider of ['gitlab', 'slack', 'jira', 'discord', 'teams', 'github']) {
      expect(readFileSync(join(guides, `${provider}.md`), 'utf8')).toContain(flows.redirectUri(provider));
    }
  });
});
