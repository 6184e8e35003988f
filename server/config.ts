/**
 * Hub configuration. `loadConfig(env)` is called once by main.ts (the only place that reads
 * the environment); tests build a Config directly with `testConfig()`.
 */
import { DEFAULT_ATTACHMENT_TYPES } from '../protocol/attachments.js';
import { LIMITS } from '../protocol/limits.js';
import { DEFAULT_PASSWORD_HASH_COST } from './auth.js';

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
  /**
   * Prefix of the Redis pub/sub channels the hubs talk on (the adapter's `key`). Hubs of one deployment share it;
   * deployments (or test runs) sharing one Redis server need different ones, or they would hear each other's rooms.
   */
  redisPrefix: string;
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
  /**
   * scrypt's cost (N) for new password hashes: a power of two from 1024 to 131072 (default 16384, about 50 ms of one
   * core; memory 128 · N · 8 bytes). Each hash keeps its own cost, so changing it leaves existing passwords working.
   * The test suites lower it: they create and sign in agents thousands of times.
   */
  passwordHashCost: number;
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
  /**
   * AI assist's provider: an OpenAI-compatible API (`AI_BASE_URL`, e.g. `http://127.0.0.1:11434/v1`); null: the
   * built-in suggestions and extractive summary only, no transcription. See README "AI assist".
   */
  aiBaseUrl: string | null;
  aiApiKey: string | null;
  /** Chat model for summaries and suggestions (`AI_MODEL`); null: the provider is used for transcription only. */
  aiModel: string | null;
  /** Speech-to-text model (`AI_TRANSCRIBE_MODEL`); null: no transcription. */
  aiTranscribeModel: string | null;
  /** Time allowed for one chat call (ms) and one transcription (ms). */
  aiTimeoutMs: number;
  aiAudioTimeoutMs: number;
  /** Outbound mail: a nodemailer connection URL (`smtp://user:pass@host:587`, `smtps://…`); null: the hub sends no mail. */
  smtpUrl: string | null;
  /** The From of every email the hub sends (`Support <support@example.com>`); required with `smtpUrl`. */
  mailFrom: string | null;
  /** Replies to visitor emails go to `reply+<token>@<this domain>`; null: the emails carry no reply address. */
  inboundEmailDomain: string | null;
  /** Bearer token of `POST /api/email/inbound`; null: that route answers 404. */
  inboundEmailToken: string | null;
  /** Port of the built-in SMTP listener for replies; null: off. */
  inboundSmtpPort: number | null;
  inboundSmtpHost: string;
  /** How often this hub's email worker looks for due emails (ms); 0 disables the worker (timer and kicks). */
  emailPollMs: number;
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
  redisPrefix: 'socket.io',
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
  passwordHashCost: DEFAULT_PASSWORD_HASH_COST,
  demoSiteSecret: null,
  logLevel: 'info',
  sweepIntervalMs: 30_000,
  trustProxy: false,
  metricsToken: null,
  emptyVisitorDays: 30,
  webhookPollMs: 1000,
  webhookAllowPrivate: false,
  aiBaseUrl: null,
  aiApiKey: null,
  aiModel: null,
  aiTranscribeModel: null,
  aiTimeoutMs: 15_000,
  aiAudioTimeoutMs: 60_000,
  smtpUrl: null,
  mailFrom: null,
  inboundEmailDomain: null,
  inboundEmailToken: null,
  inboundSmtpPort: null,
  inboundSmtpHost: '127.0.0.1',
  emailPollMs: 5000,
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

/** PASSWORD_HASH_COST: scrypt needs a power of two; below 1024 a hash is cheap to guess, above 131072 it needs 128 MB. */
function passwordHashCost(value: string | undefined): number {
  const cost = int(value, DEFAULTS.passwordHashCost, 'PASSWORD_HASH_COST');
  if (!Number.isInteger(Math.log2(cost)) || cost < 1024 || cost > 131072) {
    throw new Error(`PASSWORD_HASH_COST must be a power of two from 1024 to 131072, got "${value}"`);
  }
  return cost;
}

/** An http(s) URL, or null when unset. */
function httpUrl(value: string | undefined, name: string): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (!/^https?:\/\/[^/\s]+/i.test(text)) throw new Error(`${name} must be an http:// or https:// URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

/** SMTP_URL without MAIL_FROM is a mistake worth stopping for: every email would be refused or spoofed-looking. */
function mailSettings(env: NodeJS.ProcessEnv): Pick<Config, 'smtpUrl' | 'mailFrom' | 'inboundEmailDomain' | 'inboundEmailToken' | 'inboundSmtpPort'> {
  const smtpUrl = env.SMTP_URL?.trim() || null;
  const mailFrom = env.MAIL_FROM?.trim() || null;
  if (smtpUrl && !mailFrom) throw new Error('MAIL_FROM must be set with SMTP_URL (the From of the emails the hub sends)');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const token = env.INBOUND_EMAIL_TOKEN?.trim() || null;
  if (token && token.length < 16) throw new Error('INBOUND_EMAIL_TOKEN must be at least 16 characters');
  const port = env.INBOUND_SMTP_PORT?.trim();
  return {
    smtpUrl,
    mailFrom,
    inboundEmailDomain: env.INBOUND_EMAIL_DOMAIN?.trim().toLowerCase() || null,
    inboundEmailToken: token,
    inboundSmtpPort: port ? int(port, 0, 'INBOUND_SMTP_PORT') : null,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const url = env.DATABASE_URL?.trim();
  return {
    port: int(env.PORT, DEFAULTS.port, 'PORT'),
    host: env.HOST || DEFAULTS.host,
    databaseUrl: url ? url : 'sqlite:./data/switchboard.db',
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX?.trim() || DEFAULTS.redisPrefix,
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
    passwordHashCost: passwordHashCost(env.PASSWORD_HASH_COST),
    demoSiteSecret: env.DEMO_SITE_SECRET || null,
    logLevel: env.LOG_LEVEL || DEFAULTS.logLevel,
    sweepIntervalMs: int(env.SWEEP_INTERVAL_MS, DEFAULTS.sweepIntervalMs, 'SWEEP_INTERVAL_MS'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    metricsToken: env.METRICS_TOKEN || null,
    emptyVisitorDays: int(env.EMPTY_VISITOR_DAYS, DEFAULTS.emptyVisitorDays, 'EMPTY_VISITOR_DAYS'),
    webhookPollMs: int(env.WEBHOOK_POLL_MS, DEFAULTS.webhookPollMs, 'WEBHOOK_POLL_MS'),
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
    aiBaseUrl: httpUrl(env.AI_BASE_URL, 'AI_BASE_URL'),
    aiApiKey: env.AI_API_KEY || null,
    aiModel: env.AI_MODEL?.trim() || null,
    aiTranscribeModel: env.AI_TRANSCRIBE_MODEL?.trim() || null,
    aiTimeoutMs: int(env.AI_TIMEOUT_MS, DEFAULTS.aiTimeoutMs, 'AI_TIMEOUT_MS'),
    aiAudioTimeoutMs: int(env.AI_AUDIO_TIMEOUT_MS, DEFAULTS.aiAudioTimeoutMs, 'AI_AUDIO_TIMEOUT_MS'),
    ...mailSettings(env),
    inboundSmtpHost: env.INBOUND_SMTP_HOST || DEFAULTS.inboundSmtpHost,
    emailPollMs: int(env.EMAIL_POLL_MS, DEFAULTS.emailPollMs, 'EMAIL_POLL_MS'),
    attachmentMaxBytes: int(env.ATTACHMENT_MAX_BYTES, DEFAULTS.attachmentMaxBytes, 'ATTACHMENT_MAX_BYTES'),
    attachmentTypes: parseAttachmentTypes(env.ATTACHMENT_TYPES),
    attachmentDir: env.ATTACHMENT_DIR?.trim() || null,
    s3: parseS3(env),
    uploadsPerMinute: int(env.UPLOADS_PER_MINUTE, DEFAULTS.uploadsPerMinute, 'UPLOADS_PER_MINUTE'),
  };
}
