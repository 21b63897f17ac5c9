import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { EnvironmentVariables } from './env.schema';

export type HubRole = 'api' | 'worker' | 'all';

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
  encryptionKeys?: string;
  bootstrapApiKey?: string;
  bootstrapEmail: string;
  logLevel: string;
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
  scan: {
    leaseSeconds: number;
    watchdogIntervalMs: number;
    cacheTtlSeconds: number;
    maxRequestsPerSecond: number;
    rateLimitMaxWaitSeconds: number;
  };
  providers: Record<'slack' | 'gitlab' | 'jira' | 'discord' | 'teams', OAuthProviderConfig>;
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

export class ConfigError extends Error {}

/** Reads a value that may be given inline or as `@path` to a file. */
function inlineOrFile(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  if (!value.startsWith('@')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (err) {
    throw new ConfigError(`${name}: cannot read file ${value.slice(1)} (${(err as Error).message})`);
  }
}

/** Validates the environment and builds the typed configuration; throws naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): HubConfig {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') raw[k] = v;
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  if (vars.NODE_ENV === 'production' && !vars.ENCRYPTION_KEYS) {
    throw new ConfigError('Invalid configuration:\n  ENCRYPTION_KEYS: required when NODE_ENV=production');
  }
  const provider = (p: string): OAuthProviderConfig => ({
    clientId: raw[`${p}_CLIENT_ID`],
    clientSecret: raw[`${p}_CLIENT_SECRET`],
    authorizeUrl: raw[`${p}_AUTHORIZE_URL`],
    tokenUrl: raw[`${p}_TOKEN_URL`],
    apiUrl: raw[`${p}_API_URL`],
  });
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
    encryptionKeys: vars.ENCRYPTION_KEYS,
    bootstrapApiKey: vars.BOOTSTRAP_API_KEY,
    bootstrapEmail: vars.BOOTSTRAP_EMAIL,
    logLevel: vars.LOG_LEVEL,
    outboundAllowPrivate: vars.OUTBOUND_ALLOW_PRIVATE,
    trustProxy: vars.TRUST_PROXY,
    outboundExtraCaCerts: inlineOrFile(vars.OUTBOUND_EXTRA_CA_CERTS, 'OUTBOUND_EXTRA_CA_CERTS'),
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
      privateKey: inlineOrFile(vars.GITHUB_APP_PRIVATE_KEY, 'GITHUB_APP_PRIVATE_KEY'),
      clientId: vars.GITHUB_APP_CLIENT_ID,
      clientSecret: vars.GITHUB_APP_CLIENT_SECRET,
      webhookSecret: vars.GITHUB_WEBHOOK_SECRET,
      apiUrl: vars.GITHUB_API_URL.replace(/\/+$/, ''),
      webUrl: vars.GITHUB_WEB_URL.replace(/\/+$/, ''),
      requestRetries: vars.GITHUB_REQUEST_RETRIES,
      rateLimitMaxWaitSeconds: vars.GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS,
    },
    scan: {
      leaseSeconds: vars.SCAN_LEASE_SECONDS,
      watchdogIntervalMs: vars.SCAN_WATCHDOG_INTERVAL_MS,
      cacheTtlSeconds: vars.SCAN_CACHE_TTL_SECONDS,
      maxRequestsPerSecond: vars.SCAN_MAX_REQUESTS_PER_SECOND,
      rateLimitMaxWaitSeconds: vars.SCAN_RATE_LIMIT_MAX_WAIT_SECONDS,
    },
    providers: {
      slack: provider('SLACK'),
      gitlab: provider('GITLAB'),
      jira: provider('JIRA'),
      discord: provider('DISCORD'),
      teams: provider('TEAMS'),
    },
    mantisbtUrl: vars.MANTISBT_URL,
    domainConnect: {
      privateKey: inlineOrFile(vars.DOMAIN_CONNECT_PRIVATE_KEY, 'DOMAIN_CONNECT_PRIVATE_KEY'),
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
