// The metrics listener: GET /metrics on its own address and port (HMS_METRICS_HOST,
// HMS_METRICS_PORT), apart from the pages, so that the public listener never serves it and a
// firewall or the loopback default keeps it for the monitoring system.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentType, scrape } from './registry.js';

export class MetricsListenerError extends Error {}

export interface MetricsListener {
  /** Where it listens, e.g. "127.0.0.1:9464". */
  address: string;
  close(): Promise<void>;
}

export async function startMetricsListener(host: string, port: number): Promise<MetricsListener> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    scrape().then(
      (text) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected.\n'),
    );
  });
  // A scrape is one short request; nothing should hold a connection open for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new MetricsListenerError(
      `The metrics listener cannot listen on ${host}:${port} (HMS_METRICS_HOST, HMS_METRICS_PORT): ${error.code ?? error.message}.`)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
