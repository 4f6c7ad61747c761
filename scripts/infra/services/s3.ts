import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

import { HOST, PATHS, PORTS, S3_CREDENTIALS, VERSIONS } from '../config';
import { cleanStaleTemps, ensureDir, replacePath, tempPathFor, withTimeout, type Logger } from '../proc';
import { assertModuleVersion, go } from '../toolchains';
import type { LocalService } from './types';

const MODULE = 'github.com/versity/versitygw';
const BINARY = path.join(PATHS.bin, 'versitygw');
const VERSION_FILE = `${BINARY}.version`;
// Siblings whose names do not prefix each other: versitygw refuses a sidecar "inside" the root
// by comparing path strings, so ".../s3" and ".../s3-meta" would be rejected.
const DATA_DIR = path.join(PATHS.data, 's3', 'buckets');
const META_DIR = path.join(PATHS.data, 's3', 'metadata');

async function resolveVersion(log: Logger): Promise<string> {
  if (VERSIONS.versitygw) return VERSIONS.versitygw;
  log('[s3] looking up the latest versitygw release on the Go module proxy…');
  const info = JSON.parse(await go(['list', '-m', '-json', `${MODULE}@latest`])) as { Version?: string };
  if (!info.Version) throw new Error(`go list found no version of ${MODULE}`);
  return info.Version;
}

function client(env: Record<string, string>, timeoutMs: number): S3Client {
  return new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION || S3_CREDENTIALS.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs * 2 },
  });
}

/** An S3 error reply (even 404 for a missing bucket) proves an S3 server answers; a socket error does not. */
function isS3Reply(error: unknown): boolean {
  return error instanceof S3ServiceException && typeof error.$metadata.httpStatusCode === 'number';
}

async function probe(env: Record<string, string>): Promise<boolean> {
  const s3 = client(env, 1500);
  try {
    await withTimeout(s3.send(new HeadBucketCommand({ Bucket: env.S3_BUCKET })), 5000, 's3 HeadBucket');
    return true;
  } catch (error) {
    return isS3Reply(error);
  } finally {
    s3.destroy();
  }
}

async function ensureBucket(env: Record<string, string>, log: Logger): Promise<void> {
  const s3 = client(env, 5000);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: env.S3_BUCKET }));
  } catch (error) {
    if (!isS3Reply(error) || (error as S3ServiceException).$metadata.httpStatusCode !== 404) throw error;
    log(`[s3] creating bucket ${env.S3_BUCKET}`);
    await s3.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }));
  } finally {
    s3.destroy();
  }
}

/** put/head/get/delete of one object: what the blob store does. */
async function verify(env: Record<string, string>): Promise<string[]> {
  const s3 = client(env, 5000);
  const Key = `infra-selftest/${Date.now()}.txt`;
  const Bucket = env.S3_BUCKET;
  try {
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'hello', ContentType: 'text/plain' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    if (head.ContentLength !== 5) throw new Error(`HeadObject reported ${head.ContentLength} bytes instead of 5`);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    const body = await got.Body?.transformToString();
    if (body !== 'hello') throw new Error(`GetObject returned "${body}"`);
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    try {
      await s3.send(new HeadObjectCommand({ Bucket, Key }));
      throw new Error('object still there after DeleteObject');
    } catch (error) {
      if (!isS3Reply(error) || (error as S3ServiceException).$metadata.httpStatusCode !== 404) throw error;
    }
    return ['PutObject', 'HeadObject', 'GetObject', 'DeleteObject'];
  } finally {
    s3.destroy();
  }
}

export const s3: LocalService = {
  name: 's3',
  label: 'versitygw (S3 gateway, posix backend)',
  ports: [PORTS.s3],
  address: `http://${HOST}:${PORTS.s3}`,
  startTimeoutMs: 30_000,
  stopTimeoutMs: 15_000,

  isBuilt: () => fs.existsSync(BINARY),

  async build(log) {
    const version = await resolveVersion(log);
    assertModuleVersion(version);
    log(`[s3] building versitygw ${version} from the Go module proxy (first run only, 2-4 min on 2 cores)…`);
    ensureDir(PATHS.bin);
    cleanStaleTemps(PATHS.build);
    const gobin = ensureDir(tempPathFor(path.join(PATHS.build, 'versitygw-bin')));
    await go(['install', '-trimpath', `${MODULE}/cmd/versitygw@${version}`], { env: { GOBIN: gobin } });
    fs.writeFileSync(VERSION_FILE, `${version}\n`);
    replacePath(path.join(gobin, 'versitygw'), BINARY);
    fs.rmSync(gobin, { recursive: true, force: true });
  },

  async prepare() {
    ensureDir(DATA_DIR);
    ensureDir(META_DIR);
  },

  command: () => ({
    cmd: BINARY,
    // --sidecar keeps object metadata in files, so the data filesystem needs no extended attributes.
    args: ['--port', `${HOST}:${PORTS.s3}`, '--quiet', 'posix', '--sidecar', META_DIR, DATA_DIR],
    env: {
      ...process.env,
      // versitygw prefers the *_ID spellings; drop any inherited ones so ours apply.
      ROOT_ACCESS_KEY_ID: undefined,
      ROOT_SECRET_ACCESS_KEY: undefined,
      ROOT_ACCESS_KEY: S3_CREDENTIALS.accessKeyId,
      ROOT_SECRET_KEY: S3_CREDENTIALS.secretAccessKey,
    },
    cwd: PATHS.data,
  }),

  isOurs: (argv) => argv[0] === BINARY,

  probe,
  afterStart: ensureBucket,
  verify,
};
