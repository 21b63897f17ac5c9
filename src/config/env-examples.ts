import { EnvironmentVariables } from './env.schema';

/** A good value for each variable without a default, quoted in configuration errors. */
const EXAMPLES: Record<string, string> = {
  SITE_URL: 'https://hub.example.com',
  DATABASE_URL: 'postgres://hub:secret@db:5432/hub',
  REDIS_URL: 'redis://redis:6379',
  ENCRYPTION_KEYS: 'k1:$(openssl rand -base64 32)',
  BOOTSTRAP_API_KEY: 'ihk_$(openssl rand -base64 32 | tr +/ -_ | tr -d =)',
  SMTP_URL: 'smtp://user:password@mail.example.com:587',
  DNS_SERVERS: '1.1.1.1,8.8.8.8:53',
  GITHUB_APP_ID: '123456',
  GITHUB_APP_PRIVATE_KEY: '@/run/secrets/github-app.pem',
  MANTISBT_URL: 'https://mantis.example.com',
  DOMAIN_CONNECT_PRIVATE_KEY: '@/run/secrets/domain-connect.pem',
  DOMAIN_CONNECT_PUBKEY_DOMAIN: 'example.com',
  PROXY_TARGET_DOMAIN: 'proxy.example.com',
  METRICS_TOKEN: '$(openssl rand -hex 24)',
  METRICS_PORT: '9464',
  GATEWAYS: '{"6f1c2e9a-3b4d-4c5e-8f70-1a2b3c4d5e6f":"http://proxy.internal:3128"}',
  OUTBOUND_EXTRA_CA_CERTS: '@/etc/ssl/certs/internal-ca.pem',
};

const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;

/** A good value for a variable: the example above, else its default. */
export function envExample(name: string): string | undefined {
  return EXAMPLES[name] ?? (defaults[name] === undefined ? undefined : String(defaults[name]));
}
