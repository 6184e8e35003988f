/**
 * For contract tests: a local HTTP server speaking the documented S3 REST shapes, not AWS. Path-style only
 * (`/<bucket>/<key>`): PutObject, GetObject (with `Range`: 206 and Content-Range), DeleteObject (204, also for a
 * missing key), and the XML error body with `NoSuchKey` / `NoSuchBucket` / `SignatureDoesNotMatch`. Every request
 * must carry a valid AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 …`) for the configured key, and a
 * signed payload must match its `x-amz-content-sha256`. Objects are kept in memory.
 *
 * Why not a real server: npm's S3 emulator (s3rver) is an old Koa-based project and MinIO is not JavaScript; adding
 * either for one test was not worth it. This is the part of S3 the hub uses, exercised with the real
 * @aws-sdk/client-s3 client (requests signed and sent over HTTP, answers parsed as from S3).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3Options {
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface FakeS3 {
  /** `http://127.0.0.1:<port>`: the S3_ENDPOINT. */
  url: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  /** Every request, in order: method, path and query, headers. */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (S3: the path is not encoded twice, `/` stays). */
function encode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function errorXml(res: ServerResponse, status: number, code: string, message: string, resource = ''): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>fake</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'fake' });
  res.end(body);
}

/** Checks the request's Signature Version 4 (header form) against the secret; answers why not, or null. */
function signatureProblem(req: IncomingMessage, body: Buffer, options: FakeS3Options): string | null {
  const header = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(header);
  if (!match) return 'no AWS4-HMAC-SHA256 Authorization header';
  const [, accessKeyId, date, region, signedHeaders = '', signature = ''] = match;
  if (accessKeyId !== options.accessKeyId) return 'unknown access key';
  if (region !== options.region) return 'wrong region';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date ?? '-')) return 'x-amz-date does not match the credential scope';
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (!payloadHash) return 'no x-amz-content-sha256';
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'the body does not match x-amz-content-sha256';
  const url = new URL(req.url ?? '/', 'http://s3.local');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a = '', x = ''], [b = '', y = '']) => (a === b ? x.localeCompare(y) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const path = encode(decodeURIComponent(url.pathname), true);
  const canonicalRequest = [req.method, path, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, date ?? ''), region ?? ''), 's3'), 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  return timingSafeEqual(expected, Buffer.from(signature)) ? null : 'signature does not match';
}

export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const objects: FakeS3['objects'] = new Map();
  const requests: FakeS3['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://s3.local').pathname);
      const [, bucket = '', ...rest] = path.split('/');
      const key = rest.join('/');
      const problem = signatureProblem(req, body, options);
      if (problem) return errorXml(res, 403, 'SignatureDoesNotMatch', problem, path);
      if (bucket !== options.bucket) return errorXml(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', path);
      if (!key) return errorXml(res, 501, 'NotImplemented', 'Only object operations', path);
      switch (req.method) {
        case 'PUT': {
          objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream') });
          res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'content-length': 0 });
          return res.end();
        }
        case 'GET': {
          const object = objects.get(key);
          if (!object) return errorXml(res, 404, 'NoSuchKey', 'The specified key does not exist.', path);
          const headers = {
            'content-type': object.contentType,
            etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
            'last-modified': new Date().toUTCString(),
            'accept-ranges': 'bytes',
          };
          const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
          if (range) {
            const start = Number(range[1]);
            const end = range[2] ? Math.min(Number(range[2]), object.body.length - 1) : object.body.length - 1;
            if (start >= object.body.length) return errorXml(res, 416, 'InvalidRange', 'The requested range is not satisfiable', path);
            const part = object.body.subarray(start, end + 1);
            res.writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${object.body.length}` });
            return res.end(part);
          }
          res.writeHead(200, { ...headers, 'content-length': object.body.length });
          return res.end(object.body);
        }
        case 'DELETE':
          objects.delete(key);
          res.writeHead(204);
          return res.end();
        default:
          return errorXml(res, 405, 'MethodNotAllowed', `${req.method} is not supported here`, path);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
