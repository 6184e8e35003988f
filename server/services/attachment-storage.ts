/**
 * Where uploaded files' bytes live, behind one interface: a folder on disk (the default: beside the SQLite file, or
 * ATTACHMENT_DIR), or an S3-compatible bucket (S3_BUCKET…) through @aws-sdk/client-s3. Keys are random (newStorageKey),
 * never derived from the user's file name; rows in the `attachments` table say which key holds which file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config, S3Config } from '../config.js';

/** An inclusive byte range (HTTP `Range`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface AttachmentStorage {
  /** For logs: `disk /var/lib/switchboard/attachments` or `s3 bucket`. */
  readonly description: string;
  /** Stores the bytes under `key`; resolves once they are durably stored. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes (or the range of them); rejects with MissingFile when nothing is stored under `key`. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the bytes; a key with nothing stored is not an error. */
  delete(key: string): Promise<void>;
  /** Lets go of connections (the hub is closing). */
  close?(): void;
}

/** Nothing is stored under this key (removed behind the hub's back, or a half-finished deletion). */
export class MissingFile extends Error {
  constructor(key: string) {
    super(`no stored file ${key}`);
    this.name = 'MissingFile';
  }
}

/** 128 random bits, hex: the storage key of a new file. */
export const newStorageKey = (): string => randomBytes(16).toString('hex');

const KEY = /^[0-9a-f]{32}$/;

function checkKey(key: string): string {
  // Keys come from newStorageKey only; anything else (a path, `..`) is a bug, never a file to touch.
  if (!KEY.test(key)) throw new Error(`not a storage key: ${key.slice(0, 40)}`);
  return key;
}

/** Files under `dir/<first two hex digits>/<key>`, written to a temporary name, synced, then renamed into place. */
export class DiskStorage implements AttachmentStorage {
  readonly description: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.description = `disk ${this.dir}`;
  }

  path(key: string): string {
    checkKey(key);
    return join(this.dir, key.slice(0, 2), key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(this.path(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingFile(key);
      throw error;
    }
    return file.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await unlink(this.path(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** Objects `<key>` in one bucket of any S3-compatible service. */
export class S3Storage implements AttachmentStorage {
  readonly description: string;
  readonly #bucket: string;
  readonly #config: S3Config;
  /**
   * The SDK and its client, loaded at the first file: the SDK is a tenth of a hub's start, and a hub stores files
   * rarely next to everything else it starts for (docs/decisions.md, session 24).
   */
  #connection: Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: S3Client }> | undefined;

  constructor(config: S3Config) {
    this.#bucket = config.bucket;
    this.#config = config;
    this.description = `s3 ${config.endpoint ? `${config.endpoint} ` : ''}${config.bucket}`;
  }

  #connect(): Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: S3Client }> {
    const config = this.#config;
    this.#connection ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        forcePathStyle: config.forcePathStyle,
        ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
        // Checksums only where the API requires them: many S3-compatible services refuse the newer default
        // (CRC32 trailers on every upload, checks on every download).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      }),
    }));
    return this.#connection;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    await client.send(
      new sdk.PutObjectCommand({ Bucket: this.#bucket, Key: checkKey(key), Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }),
    );
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const { sdk, client } = await this.#connect();
    try {
      const answer = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.#bucket, Key: checkKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      // In Node the body is the HTTP response stream (a Readable with the SDK's helpers mixed in).
      return answer.Body as Readable;
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) throw new MissingFile(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    // DeleteObject succeeds for a key that holds nothing.
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key: checkKey(key) }));
  }

  close(): void {
    // Nothing to destroy if the SDK never loaded (its failure was each call's to report).
    void this.#connection?.then(
      ({ client }) => client.destroy(),
      () => undefined,
    );
  }
}

/**
 * The storage the configuration names: S3 when a bucket is set; else ATTACHMENT_DIR; else an `attachments` folder
 * beside the SQLite file; else (PostgreSQL with no ATTACHMENT_DIR) `./data/attachments`.
 */
export function attachmentStorage(config: Pick<Config, 's3' | 'attachmentDir' | 'databaseUrl'>): AttachmentStorage {
  if (config.s3) return new S3Storage(config.s3);
  if (config.attachmentDir) return new DiskStorage(config.attachmentDir);
  const url = config.databaseUrl;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return new DiskStorage('./data/attachments');
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  // An in-memory SQLite database (tests) has no folder: keep files under the working directory's data folder.
  if (file === '' || file === ':memory:') return new DiskStorage('./data/attachments');
  return new DiskStorage(join(dirname(resolve(file)), 'attachments'));
}
