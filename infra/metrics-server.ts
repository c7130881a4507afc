// Serves a prom-client registry at /metrics; a port already in use is a logged warning, never the worker's failure.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { logger } from './logger';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free port); undefined when the port is taken (another worker on this machine). */
export function serveMetrics(registry: Registry, port: number, host = '127.0.0.1'): Promise<MetricsServer | undefined> {
  const server = http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found: metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(`${err.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') return reject(err);
      logger('metrics').warn('metrics port in use: this worker serves no /metrics (set DW_METRICS_PORT)', { host, port });
      resolve(undefined);
    });
    server.listen(port, host, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((res) => server.close(() => res())),
      });
    });
  });
}
