import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/** Every environment variable the hub reads, with its default. `.env.example` mirrors this list. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test']) NODE_ENV = 'development';
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsString() HOST = '127.0.0.1';
  @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' }) SITE_URL?: string;
  @IsString() DATA_DIR = './.data';
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' }) DATABASE_URL?: string;
  @IsOptional() @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' }) REDIS_URL?: string;
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ or -' }) QUEUE_PREFIX = 'hub';
  @IsIn(['api', 'worker', 'all']) HUB_ROLE: 'api' | 'worker' | 'all' = 'all';
  @Transform(toBool) @IsBoolean() MIGRATIONS_RUN = true;
  /** How long start-up waits for PostgreSQL and Redis to accept connections before giving up (0: one attempt). */
  @Transform(toInt) @IsInt() @Min(0) @Max(3600) STARTUP_WAIT_SECONDS = 30;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]+)*$/, { message: 'must be id:base64key[,id:base64key...]' })
  ENCRYPTION_KEYS?: string;
  @IsOptional() @Matches(/^\S{32,256}$/, { message: 'must be 32-256 characters without spaces' }) BOOTSTRAP_API_KEY?: string;
  @IsEmail({ require_tld: false }) BOOTSTRAP_EMAIL = 'admin@localhost';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  /** `json` (one object a line, the default) or `pretty` (coloured, one readable line per entry: development). */
  @IsIn(['json', 'pretty']) LOG_FORMAT: 'json' | 'pretty' = 'json';
  /** Bearer token that `/api/metrics` requires (instance-level; tenant API keys never open it). */
  @IsOptional() @Matches(/^\S{16,256}$/, { message: 'must be 16-256 characters without spaces' }) METRICS_TOKEN?: string;
  /** Serves `/metrics` (and `/api/metrics`) without a token on this port, bound to 127.0.0.1 only. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) METRICS_PORT?: number;
  @Transform(toBool) @IsBoolean() OUTBOUND_ALLOW_PRIVATE = false;
  /** Take the client address from X-Forwarded-For (behind a reverse proxy). */
  @Transform(toBool) @IsBoolean() TRUST_PROXY = false;
  /** Extra trusted CA certificates for outbound TLS (PEM text or @path), added to the system roots. */
  @IsOptional() @IsString() OUTBOUND_EXTRA_CA_CERTS?: string;
  @Transform(toInt) @IsInt() @Min(1) AUTH_FAILURE_LIMIT = 30;
  @Transform(toInt) @IsInt() @Min(1) AUTH_FAILURE_WINDOW_SECONDS = 60;
  @Transform(toInt) @IsInt() @Min(0) @Max(300) API_KEY_CACHE_SECONDS = 10;
  @Transform(toInt) @IsInt() @Min(1) @Max(600) REQUEST_TIMEOUT_SECONDS = 30;
  @IsOptional() @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' }) SMTP_URL?: string;
  @IsString() EMAIL_FROM = 'Integrations Hub <no-reply@localhost>';
  /** Attempts of one email delivery job before the outbox sweeper takes over. */
  @Transform(toInt) @IsInt() @Min(1) @Max(50) MAIL_DELIVERY_ATTEMPTS = 8;
  /** Exponential backoff base between delivery attempts. */
  @Transform(toInt) @IsInt() @Min(10) MAIL_RETRY_BACKOFF_MS = 2000;
  /** How often unsent outbox rows whose delivery job gave up are queued again. */
  @Transform(toInt) @IsInt() @Min(1) MAIL_SWEEP_INTERVAL_SECONDS = 300;
  @IsOptional() @Matches(/^[0-9a-fA-F:.[\]]+(:\d+)?(,[0-9a-fA-F:.[\]]+(:\d+)?)*$/, { message: 'must be ip[:port][,ip[:port]...]' }) DNS_SERVERS?: string;
  @IsOptional() @Matches(/^\d+$|^Iv[0-9A-Za-z.]+$/, { message: 'must be a numeric app id or a client id' }) GITHUB_APP_ID?: string;
  @IsOptional() @IsString() GITHUB_APP_SLUG?: string;
  @IsOptional() @IsString() GITHUB_APP_PRIVATE_KEY?: string;
  @IsOptional() @IsString() GITHUB_APP_CLIENT_ID?: string;
  @IsOptional() @IsString() GITHUB_APP_CLIENT_SECRET?: string;
  @IsOptional() @IsString() GITHUB_WEBHOOK_SECRET?: string;
  @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' }) MANTISBT_URL?: string;
  @Matches(URL_PATTERN, { message: 'must be a URL' }) GITHUB_API_URL = 'https://api.github.com';
  @Matches(URL_PATTERN, { message: 'must be a URL' }) GITHUB_WEB_URL = 'https://github.com';
  /** Octokit retries of failed GitHub calls (5xx, connection errors); 0 turns them off. */
  @Transform(toInt) @IsInt() @Min(0) @Max(5) GITHUB_REQUEST_RETRIES = 2;
  /** Longest wait for a GitHub rate limit to reset before answering our caller 429. */
  @Transform(toInt) @IsInt() @Min(0) @Max(60) GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS = 5;
  /** A scan worker holds its scan this long without renewing; after that another worker resumes it. */
  @Transform(toInt) @IsInt() @Min(1) @Max(600) SCAN_LEASE_SECONDS = 30;
  /** How often workers look for scans whose worker died. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600000) SCAN_WATCHDOG_INTERVAL_MS = 5000;
  /** Per-attempt timeout of an outgoing webhook delivery. */
  @Transform(toInt) @IsInt() @Min(100) @Max(60000) WEBHOOK_TIMEOUT_MS = 10000;
  /** Attempts of one delivery (the first included); with the default base they span about a day. */
  @Transform(toInt) @IsInt() @Min(1) @Max(50) WEBHOOK_MAX_ATTEMPTS = 16;
  /** Exponential backoff base between delivery attempts (doubled each time, capped at 4 hours, with jitter). */
  @Transform(toInt) @IsInt() @Min(10) WEBHOOK_RETRY_BASE_MS = 10000;
  /** A subscription whose deliveries have failed without a success for this long is disabled. */
  @Transform(toInt) @IsInt() @Min(0) WEBHOOK_DISABLE_AFTER_HOURS = 120;
  /** How often workers queue again deliveries whose job was lost (a killed process, a Redis outage). */
  @Transform(toInt) @IsInt() @Min(100) @Max(600000) WEBHOOK_SWEEP_INTERVAL_MS = 5000;
  /** How long GitHub REST lists stay kept with their ETag for conditional rescans (0 turns it off). */
  @Transform(toInt) @IsInt() @Min(0) @Max(604800) SCAN_CACHE_TTL_SECONDS = 3600;
  /** GitHub requests per second per installation, shared by every worker through Redis. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) SCAN_MAX_REQUESTS_PER_SECOND = 10;
  /** Longest single wait for a GitHub rate limit to reset during a scan (the scan then retries). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) SCAN_RATE_LIMIT_MAX_WAIT_SECONDS = 300;
  /** Concurrent proxied calls per integration, across replicas (shared through Redis). */
  @Transform(toInt) @IsInt() @Min(1) @Max(10000) PROXY_MAX_CONCURRENCY = 16;
  /** Proxied calls per second per integration, across replicas (shared through Redis). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100000) PROXY_MAX_REQUESTS_PER_SECOND = 50;
  /** Longest single Retry-After or backoff the proxy waits before a retry; a longer one returns the provider's answer. */
  @Transform(toInt) @IsInt() @Min(0) @Max(300) PROXY_MAX_RETRY_WAIT_SECONDS = 10;
  /** Per attempt: time allowed for the provider's response headers and between body chunks. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) PROXY_TIMEOUT_SECONDS = 30;
  /** Completed scans kept per organization (cancelled and failed ones are kept as many again, apart, so they never push out a completed one). */
  @Transform(toInt) @IsInt() @Min(2) @Max(1000) SCAN_HISTORY_KEEP = 20;
  /** Finished scans older than this are deleted (the last completed one always stays, as the next drift's comparison point). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650) SCAN_HISTORY_MAX_AGE_DAYS = 90;
  /** Repositories whose webhooks one scan reads per installation (one REST request each, with Webhooks: read); 0 turns it off. */
  @Transform(toInt) @IsInt() @Min(0) @Max(100000) SCAN_WEBHOOK_REPOS_MAX = 500;
  @IsOptional() @IsString() DOMAIN_CONNECT_PRIVATE_KEY?: string;
  @IsString() DOMAIN_CONNECT_KEY_ID = '_dcpubkeyv1';
  @IsOptional() @IsString() DOMAIN_CONNECT_PROVIDER_ID?: string;
  /** Where the public key is published (`syncPubKeyDomain` of our templates); defaults to DOMAIN_CONNECT_PROVIDER_ID. */
  @IsOptional() @Matches(/^[a-z0-9.-]+$/i, { message: 'must be a domain name' }) DOMAIN_CONNECT_PUBKEY_DOMAIN?: string;
  /** Picks the `-us` or `-eu` variant of our templates. */
  @IsIn(['us', 'eu']) DOMAIN_CONNECT_REGION: 'us' | 'eu' = 'us';
  /** Parent domain of generated reverse proxy targets; defaults to `proxy.<SITE_URL host>`. */
  @IsOptional() @Matches(/^[a-z0-9.-]+$/i, { message: 'must be a domain name' }) PROXY_TARGET_DOMAIN?: string;
  @IsString()
  DOMAIN_CONNECT_PROVIDERS =
    '[{"endpoint":"api.cloudflare.com/client/v4/dns/domainconnect","name":"Cloudflare"},{"endpoint":"domainconnect.vercel.com","name":"Vercel"}]';
  /** JSON object: gateway id -> HTTP proxy URL used for that connection's outbound calls. */
  @IsString() GATEWAYS = '{}';
}
