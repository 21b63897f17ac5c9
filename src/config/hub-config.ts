import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseGateways } from '../app-connections/gateway-settings';
import { KeyRing } from '../common/sealed-secrets';
import { ConfigError, describeValidationError, exampleOf } from './config-error';
import { EnvironmentVariables } from './env.schema';

export { ConfigError } from './config-error';

export type HubRole = 'api' | 'worker' | 'all';

const OAUTH_SETTING = /^([A-Z][A-Z0-9]*)_(CLIENT_ID|CLIENT_SECRET|AUTHORIZE_URL|TOKEN_URL|API_URL)$/;
const OAUTH_FIELDS: Record<string, keyof OAuthProviderConfig> = {
  CLIENT_ID: 'clientId',
  CLIENT_SECRET: 'clientSecret',
  AUTHORIZE_URL: 'authorizeUrl',
  TOKEN_URL: 'tokenUrl',
  API_URL: 'apiUrl',
};

export interface OAuthProviderConfig {
  clientId?: string;
  clientSecret?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  apiUrl?: string;
}

/** The typed, validated configuration every module reads (never `process.env` directly). */
export interface HubConfig {
  nodeEnv: string;
  port: number;
  host: string;
  siteUrl: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  queuePrefix: string;
  role: HubRole;
  migrationsRun: boolean;
  /** How long start-up waits for PostgreSQL and Redis to accept connections. */
  startupWaitSeconds: number;
  encryptionKeys?: string;
  bootstrapApiKey?: string;
  bootstrapEmail: string;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  metrics: {
    /** Bearer token `/api/metrics` requires on the main listener. */
    token?: string;
    /** Port of the loopback-only listener that serves metrics without a token. */
    port?: number;
  };
  outboundAllowPrivate: boolean;
  trustProxy: boolean;
  /** PEM of extra CA certificates trusted for outbound TLS (verification stays on). */
  outboundExtraCaCerts?: string;
  authFailureLimit: number;
  authFailureWindowSeconds: number;
  apiKeyCacheSeconds: number;
  /** Longest a client may take to send a whole request (headers within a third of it). */
  requestTimeoutSeconds: number;
  smtpUrl?: string;
  emailFrom: string;
  mail: {
    deliveryAttempts: number;
    retryBackoffMs: number;
    sweepIntervalSeconds: number;
  };
  dnsServers: string[];
  github: {
    appId?: string;
    appSlug?: string;
    privateKey?: string;
    clientId?: string;
    clientSecret?: string;
    webhookSecret?: string;
    apiUrl: string;
    webUrl: string;
    requestRetries: number;
    rateLimitMaxWaitSeconds: number;
  };
  webhooks: {
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    disableAfterHours: number;
    sweepIntervalMs: number;
  };
  scan: {
    leaseSeconds: number;
    watchdogIntervalMs: number;
    cacheTtlSeconds: number;
    maxRequestsPerSecond: number;
    rateLimitMaxWaitSeconds: number;
    historyKeep: number;
    historyMaxAgeDays: number;
    webhookReposMax: number;
  };
  proxy: {
    maxConcurrency: number;
    maxRequestsPerSecond: number;
    maxRetryWaitSeconds: number;
    timeoutSeconds: number;
  };
  /**
   * OAuth settings by provider name (`gitlab`, `slack`, ...), read from `<NAME>_CLIENT_ID`, `<NAME>_CLIENT_SECRET`,
   * `<NAME>_AUTHORIZE_URL`, `<NAME>_TOKEN_URL` and `<NAME>_API_URL` for whatever names are set: an OAuth adapter
   * finds its own by its provider name, so a new provider needs no entry here.
   */
  providers: Readonly<Record<string, OAuthProviderConfig>>;
  /** Default MantisBT base URL when a connect request gives none. */
  mantisbtUrl?: string;
  domainConnect: {
    privateKey?: string;
    keyId: string;
    providerId?: string;
    pubKeyDomain?: string;
    region: 'us' | 'eu';
    proxyTargetDomain: string;
    providers: string;
  };
  gateways: string;
}

/** Reads a value that may be given inline or as `@path` to a file; an unreadable file is a problem. */
function inlineOrFile(value: string | undefined, name: string, problems: string[]): string | undefined {
  if (!value) return undefined;
  if (!value.startsWith('@')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (err) {
    problems.push(`${name}: cannot read the file ${value.slice(1)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})${exampleOf(name)}`);
    return undefined;
  }
}

/** A PEM private key that Node can load, or a problem naming the variable. */
function privateKey(value: string | undefined, name: string, problems: string[]): string | undefined {
  const pem = inlineOrFile(value, name, problems);
  if (pem === undefined) return undefined;
  try {
    createPrivateKey(pem);
  } catch {
    problems.push(`${name}: is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)${exampleOf(name)}`);
  }
  return pem;
}

function json(value: string, name: string, problems: string[]): void {
  try {
    JSON.parse(value);
  } catch (err) {
    problems.push(`${name}: is not valid JSON (${(err as Error).message})${exampleOf(name)}`);
  }
}

/** Validates the environment and builds the typed configuration; throws naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): HubConfig {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') raw[k] = v;
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const problems = validateSync(vars, { skipMissingProperties: false }).map(describeValidationError);
  if (problems.length > 0) throw new ConfigError(problems);
  if (vars.NODE_ENV === 'production' && !vars.ENCRYPTION_KEYS) {
    problems.push(`ENCRYPTION_KEYS: required when NODE_ENV=production${exampleOf('ENCRYPTION_KEYS')}`);
  }
  if (vars.ENCRYPTION_KEYS) {
    try {
      new KeyRing(vars.ENCRYPTION_KEYS);
    } catch (err) {
      problems.push(`${(err as Error).message}${exampleOf('ENCRYPTION_KEYS')}`);
    }
  }
  try {
    parseGateways(vars.GATEWAYS);
  } catch (err) {
    problems.push(`${(err as Error).message}${exampleOf('GATEWAYS')}`);
  }
  json(vars.DOMAIN_CONNECT_PROVIDERS, 'DOMAIN_CONNECT_PROVIDERS', problems);
  const outboundExtraCaCerts = inlineOrFile(vars.OUTBOUND_EXTRA_CA_CERTS, 'OUTBOUND_EXTRA_CA_CERTS', problems);
  const githubPrivateKey = privateKey(vars.GITHUB_APP_PRIVATE_KEY, 'GITHUB_APP_PRIVATE_KEY', problems);
  const domainConnectPrivateKey = privateKey(vars.DOMAIN_CONNECT_PRIVATE_KEY, 'DOMAIN_CONNECT_PRIVATE_KEY', problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const providers: Record<string, OAuthProviderConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const m = OAUTH_SETTING.exec(name);
    if (!m || value === undefined || value === '') continue;
    const settings = (providers[m[1].toLowerCase()] ??= {});
    settings[OAUTH_FIELDS[m[2]]] = value;
  }
  return {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    siteUrl: (vars.SITE_URL ?? `http://${vars.HOST}:${vars.PORT}`).replace(/\/+$/, ''),
    dataDir: vars.DATA_DIR,
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    queuePrefix: vars.QUEUE_PREFIX,
    role: vars.HUB_ROLE,
    migrationsRun: vars.MIGRATIONS_RUN,
    startupWaitSeconds: vars.STARTUP_WAIT_SECONDS,
    encryptionKeys: vars.ENCRYPTION_KEYS,
    bootstrapApiKey: vars.BOOTSTRAP_API_KEY,
    bootstrapEmail: vars.BOOTSTRAP_EMAIL,
    logLevel: vars.LOG_LEVEL,
    logFormat: vars.LOG_FORMAT,
    metrics: { token: vars.METRICS_TOKEN, port: vars.METRICS_PORT },
    outboundAllowPrivate: vars.OUTBOUND_ALLOW_PRIVATE,
    trustProxy: vars.TRUST_PROXY,
    outboundExtraCaCerts,
    authFailureLimit: vars.AUTH_FAILURE_LIMIT,
    authFailureWindowSeconds: vars.AUTH_FAILURE_WINDOW_SECONDS,
    apiKeyCacheSeconds: vars.API_KEY_CACHE_SECONDS,
    requestTimeoutSeconds: vars.REQUEST_TIMEOUT_SECONDS,
    smtpUrl: vars.SMTP_URL,
    emailFrom: vars.EMAIL_FROM,
    mail: {
      deliveryAttempts: vars.MAIL_DELIVERY_ATTEMPTS,
      retryBackoffMs: vars.MAIL_RETRY_BACKOFF_MS,
      sweepIntervalSeconds: vars.MAIL_SWEEP_INTERVAL_SECONDS,
    },
    dnsServers: vars.DNS_SERVERS ? vars.DNS_SERVERS.split(',').map((s) => s.trim()).filter(Boolean) : [],
    github: {
      appId: vars.GITHUB_APP_ID,
      appSlug: vars.GITHUB_APP_SLUG,
      privateKey: githubPrivateKey,
      clientId: vars.GITHUB_APP_CLIENT_ID,
      clientSecret: vars.GITHUB_APP_CLIENT_SECRET,
      webhookSecret: vars.GITHUB_WEBHOOK_SECRET,
      apiUrl: vars.GITHUB_API_URL.replace(/\/+$/, ''),
      webUrl: vars.GITHUB_WEB_URL.replace(/\/+$/, ''),
      requestRetries: vars.GITHUB_REQUEST_RETRIES,
      rateLimitMaxWaitSeconds: vars.GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS,
    },
    webhooks: {
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
      maxAttempts: vars.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: vars.WEBHOOK_RETRY_BASE_MS,
      disableAfterHours: vars.WEBHOOK_DISABLE_AFTER_HOURS,
      sweepIntervalMs: vars.WEBHOOK_SWEEP_INTERVAL_MS,
    },
    scan: {
      leaseSeconds: vars.SCAN_LEASE_SECONDS,
      watchdogIntervalMs: vars.SCAN_WATCHDOG_INTERVAL_MS,
      cacheTtlSeconds: vars.SCAN_CACHE_TTL_SECONDS,
      maxRequestsPerSecond: vars.SCAN_MAX_REQUESTS_PER_SECOND,
      rateLimitMaxWaitSeconds: vars.SCAN_RATE_LIMIT_MAX_WAIT_SECONDS,
      historyKeep: vars.SCAN_HISTORY_KEEP,
      historyMaxAgeDays: vars.SCAN_HISTORY_MAX_AGE_DAYS,
      webhookReposMax: vars.SCAN_WEBHOOK_REPOS_MAX,
    },
    proxy: {
      maxConcurrency: vars.PROXY_MAX_CONCURRENCY,
      maxRequestsPerSecond: vars.PROXY_MAX_REQUESTS_PER_SECOND,
      maxRetryWaitSeconds: vars.PROXY_MAX_RETRY_WAIT_SECONDS,
      timeoutSeconds: vars.PROXY_TIMEOUT_SECONDS,
    },
    providers,
    mantisbtUrl: vars.MANTISBT_URL,
    domainConnect: {
      privateKey: domainConnectPrivateKey,
      keyId: vars.DOMAIN_CONNECT_KEY_ID,
      providerId: vars.DOMAIN_CONNECT_PROVIDER_ID,
      pubKeyDomain: vars.DOMAIN_CONNECT_PUBKEY_DOMAIN ?? vars.DOMAIN_CONNECT_PROVIDER_ID,
      region: vars.DOMAIN_CONNECT_REGION,
      proxyTargetDomain: vars.PROXY_TARGET_DOMAIN ?? `proxy.${new URL(vars.SITE_URL ?? `http://${vars.HOST}`).hostname}`,
      providers: vars.DOMAIN_CONNECT_PROVIDERS,
    },
    gateways: vars.GATEWAYS,
  };
}
