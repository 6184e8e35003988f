/**
 * Hub configuration. `loadConfig(env)` is called once by main.ts (the only place that reads
 * the environment); tests build a Config directly with `testConfig()`.
 */
import { DEFAULT_ATTACHMENT_TYPES } from '../protocol/attachments.js';
import { LIMITS } from '../protocol/limits.js';

/** An S3-compatible bucket for uploaded files (AWS S3, MinIO, Cloudflare R2, Backblaze B2, Garage…). */
export interface S3Config {
  bucket: string;
  /** The service's URL (`https://s3.example.com`); null: AWS S3 of `region`. */
  endpoint: string | null;
  region: string;
  /** Null: the AWS SDK's default credential chain (instance role, AWS_* variables, profile). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO and most self-hosted servers need it). */
  forcePathStyle: boolean;
}
export interface Config {
  port: number;
  host: string;
  /** `sqlite:/path/file.db` or `postgres://…`. */
  databaseUrl: string;
  redisUrl: string | null;
  /** Signs visitor tokens. When null the hub generates one and keeps it in the database. */
  secret: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  demoData: boolean;
  maxMessageLength: number;
  muteHours: number;
  inactiveHours: number;
  /** A visitor message unanswered this long puts its conversation in the Expired view. */
  expireHours: number;
  retentionDays: number;
  agentTokenHours: number;
  /** Messages a visitor (or an agent) may send per minute. */
  messagesPerMinute: number;
  /** HTTP requests per minute per IP. */
  requestsPerMinute: number;
  /** Sign-in attempts per minute per client address (the per-account throttle is separate). */
  signInsPerMinute: number;
  /** Identity-verification secret for the `demo` site's `user_hash` (null: generated). */
  demoSiteSecret: string | null;
  logLevel: string;
  /** How often the sweeper applies auto-unmute and inactivity (ms); 0 disables the timer. */
  sweepIntervalMs: number;
  /**
   * Which proxies may set the client address (X-Forwarded-For): false (default: none, the socket's
   * peer is the client), a hop count, or a list of addresses/CIDRs. See docs/security.md.
   */
  trustProxy: false | number | string[];
  /** Bearer token for `GET /metrics`; null: only clients on the loopback address may read it. */
  metricsToken: string | null;
  /** Visitors who never wrote (identified only) and were last seen this many days ago are removed. */
  emptyVisitorDays: number;
  /** How often this hub's webhook worker looks for due deliveries (ms); 0 disables the worker (timer and kicks). */
  webhookPollMs: number;
  /** Webhooks may target plain HTTP and private, loopback or link-local addresses (WEBHOOK_ALLOW_PRIVATE=1). */
  webhookAllowPrivate: boolean;
  /** The largest upload in bytes (413 `file_too_large` above it). */
  attachmentMaxBytes: number;
  /** Content types uploads may have, checked against the type sniffed from the bytes (415 `file_type_not_allowed`). */
  attachmentTypes: string[];
  /**
   * Where uploaded files are kept on disk. Null: an `attachments` folder beside the SQLite file, or
   * `./data/attachments` with PostgreSQL. Not used when `s3` is set.
   */
  attachmentDir: string | null;
  /** Keep uploaded files in an S3-compatible bucket instead of on disk (S3_BUCKET and friends). */
  s3: S3Config | null;
  /** Uploads one visitor may make per minute (and five times that per client address). */
  uploadsPerMinute: number;
}

export const DEFAULTS: Omit<Config, 'databaseUrl'> = {
  port: 3000,
  host: '127.0.0.1',
  redisUrl: null,
  secret: null,
  adminEmail: null,
  adminPassword: null,
  demoData: false,
  maxMessageLength: 4096,
  muteHours: 72,
  inactiveHours: 24,
  expireHours: 24,
  retentionDays: 30,
  agentTokenHours: 12,
  messagesPerMinute: 60,
  requestsPerMinute: 1200,
  signInsPerMinute: 20,
  demoSiteSecret: null,
  logLevel: 'info',
  sweepIntervalMs: 30_000,
  trustProxy: false,
  metricsToken: null,
  emptyVisitorDays: 30,
  webhookPollMs: 1000,
  webhookAllowPrivate: false,
  attachmentMaxBytes: LIMITS.attachmentBytes,
  attachmentTypes: [...DEFAULT_ATTACHMENT_TYPES],
  attachmentDir: null,
  s3: null,
  uploadsPerMinute: 20,
};

/** `TRUST_PROXY`: unset/empty/0/false → off; a number → that many hops; else a comma list of addresses or CIDRs. */
export function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0' || text === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text);
  if (text === 'true') throw new Error('TRUST_PROXY=true would trust any client to name its own address: give a hop count or the proxy addresses');
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** `ATTACHMENT_TYPES`: a comma list of MIME types (unset: DEFAULT_ATTACHMENT_TYPES). */
export function parseAttachmentTypes(value: string | undefined): string[] {
  const types = (value ?? '')
    .split(',')
    .map((type) => type.trim().toLowerCase())
    .filter(Boolean);
  if (types.length === 0) return [...DEFAULT_ATTACHMENT_TYPES];
  const bad = types.find((type) => !/^[a-z]+\/[a-z0-9.+-]+$/.test(type));
  if (bad) throw new Error(`ATTACHMENT_TYPES must be a comma list of MIME types like image/png, got "${bad}"`);
  return types;
}

/** S3_BUCKET (+ S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE); null without a bucket. */
export function parseS3(env: NodeJS.ProcessEnv): S3Config | null {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) return null;
  const accessKeyId = env.S3_ACCESS_KEY_ID || null;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || null;
  if ((accessKeyId === null) !== (secretAccessKey === null)) throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  return {
    bucket,
    endpoint: env.S3_ENDPOINT?.trim() || null,
    region: env.S3_REGION?.trim() || 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === '1' || env.S3_FORCE_PATH_STYLE === 'true',
  };
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const url = env.DATABASE_URL?.trim();
  return {
    port: int(env.PORT, DEFAULTS.port, 'PORT'),
    host: env.HOST || DEFAULTS.host,
    databaseUrl: url ? url : 'sqlite:./data/switchboard.db',
    redisUrl: env.REDIS_URL || null,
    secret: env.SWITCHBOARD_SECRET || null,
    adminEmail: env.ADMIN_EMAIL || null,
    adminPassword: env.ADMIN_PASSWORD || null,
    demoData: env.DEMO_DATA === '1' || env.DEMO_DATA === 'true',
    maxMessageLength: int(env.MAX_MESSAGE_LENGTH, DEFAULTS.maxMessageLength, 'MAX_MESSAGE_LENGTH'),
    muteHours: int(env.MUTE_HOURS, DEFAULTS.muteHours, 'MUTE_HOURS'),
    inactiveHours: int(env.INACTIVE_HOURS, DEFAULTS.inactiveHours, 'INACTIVE_HOURS'),
    expireHours: int(env.EXPIRE_HOURS, DEFAULTS.expireHours, 'EXPIRE_HOURS'),
    retentionDays: int(env.RETENTION_DAYS, DEFAULTS.retentionDays, 'RETENTION_DAYS'),
    agentTokenHours: int(env.AGENT_TOKEN_HOURS, DEFAULTS.agentTokenHours, 'AGENT_TOKEN_HOURS'),
    messagesPerMinute: int(env.MESSAGES_PER_MINUTE, DEFAULTS.messagesPerMinute, 'MESSAGES_PER_MINUTE'),
    requestsPerMinute: int(env.REQUESTS_PER_MINUTE, DEFAULTS.requestsPerMinute, 'REQUESTS_PER_MINUTE'),
    signInsPerMinute: int(env.SIGN_INS_PER_MINUTE, DEFAULTS.signInsPerMinute, 'SIGN_INS_PER_MINUTE'),
    demoSiteSecret: env.DEMO_SITE_SECRET || null,
    logLevel: env.LOG_LEVEL || DEFAULTS.logLevel,
    sweepIntervalMs: int(env.SWEEP_INTERVAL_MS, DEFAULTS.sweepIntervalMs, 'SWEEP_INTERVAL_MS'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    metricsToken: env.METRICS_TOKEN || null,
    emptyVisitorDays: int(env.EMPTY_VISITOR_DAYS, DEFAULTS.emptyVisitorDays, 'EMPTY_VISITOR_DAYS'),
    webhookPollMs: int(env.WEBHOOK_POLL_MS, DEFAULTS.webhookPollMs, 'WEBHOOK_POLL_MS'),
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
    attachmentMaxBytes: int(env.ATTACHMENT_MAX_BYTES, DEFAULTS.attachmentMaxBytes, 'ATTACHMENT_MAX_BYTES'),
    attachmentTypes: parseAttachmentTypes(env.ATTACHMENT_TYPES),
    attachmentDir: env.ATTACHMENT_DIR?.trim() || null,
    s3: parseS3(env),
    uploadsPerMinute: int(env.UPLOADS_PER_MINUTE, DEFAULTS.uploadsPerMinute, 'UPLOADS_PER_MINUTE'),
  };
}
