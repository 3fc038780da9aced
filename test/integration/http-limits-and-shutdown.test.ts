// How long a served HMS waits for its clients, and how it stops: a body or headers sent a byte at
// a time are cut off, an upload slower than the whole-request limit too; on SIGTERM it refuses new
// connections, lets an upload in flight finish, logs `shutting down` then `stopped`, and exits 0.
import net from 'node:net';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../support/cli.js';
import { sqlite, type FreshDatabase } from '../support/databases.js';
import {
  cookieHeader, freePort, hourCsv, seedClinicianWithRecording, sharedKeyEnv, signInOverHttp, type Seeded,
} from '../support/served-hms.js';
import { csrfTokenIn, type TestBrowser } from '../support/browser-client.js';

const BODY_SECONDS = 1;
const REQUEST_SECONDS = 3;

describe('time limits on clients, and a graceful stop (a served HMS on SQLite)', () => {
  let database: FreshDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let port: number;
  let seeded: Seeded;
  let browser: TestBrowser;

  beforeAll(async () => {
    database = await sqlite.create();
    const env = { ...sharedKeyEnv(), HMS_DATA_DIR: database.dataDir, DATABASE_URL: '' };
    seeded = await seedClinicianWithRecording(env);
    port = await freePort();
    server = await startServer({
      ...env, PORT: String(port), HMS_LOG_LEVEL: 'info', HMS_SHUTDOWN_SECONDS: '10',
      HMS_BODY_TIMEOUT_SECONDS: String(BODY_SECONDS), HMS_REQUEST_TIMEOUT_SECONDS: String(REQUEST_SECONDS),
    });
    browser = await signInOverHttp(`http://127.0.0.1:${port}`, seeded.account);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** Sends `head`, then one byte of `trickle` every 200 ms; resolves with what came back and when the server closed. */
  function trickle(head: string, trickleBytes: string): Promise<{ answer: string; closedAfterMs: number }> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const started = Date.now();
      let answer = '';
      let sent = 0;
      socket.write(head);
      const timer = setInterval(() => {
        if (sent < trickleBytes.length && socket.writable) socket.write(trickleBytes[sent++]!);
      }, 200);
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ answer, closedAfterMs: Date.now() - started });
      });
    });
  }

  it('a form body sent a byte at a time is cut off after HMS_BODY_TIMEOUT_SECONDS with 408', async () => {
    const { answer, closedAfterMs } = await trickle(
      'POST /login HTTP/1.1\r\nHost: hms\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n', 'a'.repeat(1000));
    console.info('slow form body closed after', closedAfterMs, 'ms');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('The form took too long to arrive');
    expect(closedAfterMs).toBeGreaterThanOrEqual(BODY_SECONDS * 1000 - 100);
    expect(closedAfterMs).toBeLessThan(BODY_SECONDS * 1000 + 2000);
  });

  it('a request refused before its body is read (wrong type, too large) leaves no timer behind to fail later', async () => {
    const refusedAtOnce = (headers: string) => new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(`POST /login HTTP/1.1\r\nHost: hms\r\n${headers}\r\na=1`));
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk;
        if (answer.includes('\r\n\r\n')) resolve(answer);
      });
      socket.on('error', () => {});
      setTimeout(() => socket.destroy(), BODY_SECONDS * 1000 + 1500); // the rest of the body never comes
    });
    expect(await refusedAtOnce('Content-Type: application/json\r\nContent-Length: 1000\r\n')).toMatch(/^HTTP\/1\.1 415 /);
    expect(await refusedAtOnce('Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n')).toMatch(/^HTTP\/1\.1 413 /);
    await new Promise((resolve) => setTimeout(resolve, BODY_SECONDS * 1000 + 1000)); // past the body limit of both
    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('headers sent a byte at a time are cut off too', async () => {
    const { answer, closedAfterMs } = await trickle('GET /login HTTP/1.1\r\n', 'X-Slow: '.padEnd(200, 'z'));
    console.info('slow headers closed after', closedAfterMs, 'ms');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(BODY_SECONDS * 1000 + 2000);
  });

  it('an upload slower than HMS_REQUEST_TIMEOUT_SECONDS is cut off with 408, and nothing is imported', async () => {
    await browser.get(`/patients/${seeded.patientId}`);
    const { head, body } = uploadParts(csrfTokenIn(browser.lastPage)!, hourCsv(9));
    const started = Date.now();
    const status = await sendUpload(head, body, 10_000).catch((error: Error) => error.message);
    const ms = Date.now() - started;
    console.info('slow upload cut after', ms, 'ms');
    expect(status).toBe(408);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_SECONDS * 1000 - 100);
    expect(ms).toBeLessThan(REQUEST_SECONDS * 1000 + 2000);
    const list = await browser.get(`/patients/${seeded.patientId}`);
    const recordings = new Set(list.body.match(/(?<=href="\/records\/)[\w-]+/g)); // the list and its flags link to recordings
    expect([...recordings]).toEqual([seeded.recordId]); // the seeded recording only
  });

  it('SIGTERM: new connections are refused, the upload in flight finishes, then `stopped` and exit 0', async () => {
    await browser.get(`/patients/${seeded.patientId}`);
    const { head, body } = uploadParts(csrfTokenIn(browser.lastPage)!, hourCsv(10));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const upload = sendUpload(head, body, 1500, () => server.child.kill('SIGTERM'));

    await new Promise((resolve) => setTimeout(resolve, 700));
    const refused = await new Promise<string>((resolve) => {
      const probe = net.connect(port, '127.0.0.1', () => resolve('connected'));
      probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    expect(await upload).toBe(303);
    expect(await exited).toBe(0);
    const output = server.output();
    const shuttingDown = output.indexOf('"requests":1,"msg":"shutting down"'); // the upload was in flight
    expect(shuttingDown).toBeGreaterThan(0);
    expect(output.indexOf('"msg":"stopped"')).toBeGreaterThan(shuttingDown);
  });

  function uploadParts(token: string, csv: string): { head: string; body: Buffer } {
    const boundary = `----hms-${randomBytes(6).toString('hex')}`;
    const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
    return { head: `multipart/form-data; boundary=${boundary}`, body };
  }

  /** Sends the upload in 10 pieces spread over `overMs`; `midway` runs after the third (the request is in by then). */
  function sendUpload(contentType: string, body: Buffer, overMs: number, midway?: () => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1', port, method: 'POST', path: `/patients/${seeded.patientId}/records`,
        headers: { cookie: cookieHeader(browser), 'content-type': contentType, 'content-length': body.length },
      }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on('error', reject);
      const pieces = 10;
      const size = Math.ceil(body.length / pieces);
      let piece = 0;
      const next = () => {
        if (request.destroyed) return;
        request.write(body.subarray(piece * size, (piece + 1) * size));
        piece += 1;
        if (piece === 3) midway?.();
        if (piece < pieces) setTimeout(next, overMs / pieces);
        else request.end();
      };
      next();
    });
  }
});
