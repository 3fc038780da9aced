// The servers under test, each in its own process on a loopback port: HMS as `hms serve` runs
// it, and a bare Fastify that answers one route with fixed bytes (the baseline).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(DIST, 'src', 'cli.js');
const BARE_SERVER = path.join(DIST, 'bench', 'sign-in', 'bare-server.js');
const GC_ON_SIGNAL = pathToFileURL(path.join(DIST, 'bench', 'sign-in', 'gc-on-signal.js')).href;
const START_TIMEOUT = 30_000;

export interface ServerProcess {
  origin: string;
  /** Resident set size now, MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

export interface HmsProcess extends ServerProcess {
  /** Resident set size after a full garbage collection in the server, MiB. */
  rssAfterGcMiB(): Promise<number>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const UNMAP_WAIT_MS = 1000;

/**
 * `hms serve` with the environment given. HMS_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the
 * server there when it stops (open it in Chrome DevTools), to see where a missed target goes.
 */
export async function startHms(env: Record<string, string>): Promise<HmsProcess> {
  const port = await freePort();
  const profileDir = process.env.HMS_BENCH_CPU_PROF;
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...flags, '--expose-gc', '--import', GC_ON_SIGNAL, CLI, 'serve'], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /HMS is serving/);
  const server = serverProcess(child, `http://127.0.0.1:${port}`);
  return {
    ...server,
    rssAfterGcMiB: async () => {
      const done = new Promise<void>((resolve) => {
        const onData = (chunk: Buffer) => {
          if (!chunk.toString().includes('bench: gc done')) return;
          child.stderr!.off('data', onData);
          resolve();
        };
        child.stderr!.on('data', onData);
      });
      child.kill('SIGUSR2');
      await done;
      // V8 hands the pages it freed back to the system on a background thread: read after it.
      await new Promise((resolve) => setTimeout(resolve, UNMAP_WAIT_MS));
      return server.rssMiB();
    },
  };
}

export async function startBareServer(body: string, contentType: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BARE_SERVER, String(port), contentType], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.end(body);
  await waitForLine(child, /listening/);
  return serverProcess(child, `http://127.0.0.1:${port}`);
}

function serverProcess(child: ChildProcess, origin: string): ServerProcess {
  return {
    origin,
    rssMiB: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return kib / 1024;
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Resolves when the process prints the line; rejects with what it printed if it exits first. */
function waitForLine(child: ChildProcess, line: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    let started = false;
    const timer = setTimeout(() => fail(new Error(`server did not start within ${START_TIMEOUT / 1000} s:\n${output}`)), START_TIMEOUT);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    // Keeps reading after the start (a full pipe would block the server), but stops keeping it.
    const onData = (chunk: Buffer) => {
      if (started) return;
      output += chunk.toString();
      if (line.test(output)) {
        started = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => !started && fail(new Error(`server exited (${code}) before starting:\n${output}`)));
  });
}
