// Runs the load generator (load.ts) in a child process and reads its result.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PlannedRequest {
  path: string;
  cookie: string;
  /** A urlencoded form body: the request is a POST. None: a GET. */
  body?: string;
}

export interface LoadSpec {
  origin: string;
  connections: number;
  /** Bounds the run in time… */
  durationSeconds?: number;
  /** …or in count: each prepared request sent once. */
  amount?: number;
  /** Requests per second from all connections; none: as fast as the server answers. */
  overallRate?: number;
  /**
   * Each request from another client address (X-Forwarded-For, to a server that trusts the
   * loopback proxy): a crowd signing in, not one address, which HMS limits to 100 password checks
   * a minute.
   */
  distinctClients?: boolean;
  requests: PlannedRequest[];
}

export interface LoadResult {
  seconds: number;
  completed: number;
  statusCodes: Record<string, number>;
  errors: number;
  /** Latency, milliseconds. */
  p50: number;
  p99: number;
}

const LOAD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load.js');

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const specFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-load-')), 'spec.json');
  fs.writeFileSync(specFile, JSON.stringify(spec));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [LOAD_SCRIPT, specFile], { maxBuffer: 1 << 20, timeout: 10 * 60_000 }, (error, out, err) => {
        if (error) reject(new Error(`load generator failed: ${err || error.message}`));
        else resolve(out);
      });
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
  } finally {
    fs.rmSync(path.dirname(specFile), { recursive: true, force: true });
  }
}

/** Responses with this status per second of the run. */
export function ratePerSecond(result: LoadResult, status: number): number {
  return (result.statusCodes[String(status)] ?? 0) / result.seconds;
}
