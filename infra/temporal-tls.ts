// TLS (and mTLS) to the Temporal frontend, from DW_TEMPORAL_TLS_* files; none for the local dev server on 127.0.0.1.
import fs from 'node:fs';
import { type Config, loadConfig } from './config';

/** The `tls` option of Connection.connect / NativeConnection.connect (the same shape for both); undefined = plain. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(
      `cannot read the Temporal ${what} ${file} (${(err as Error).message}): fix DW_TEMPORAL_TLS_* or unset them for the local dev server`,
    );
  }
}

/** TLS options when any DW_TEMPORAL_TLS_* is set (a CA alone: server-authenticated TLS; with cert and key: mutual TLS). */
export function temporalTls(config: Config = loadConfig()): TemporalTls | undefined {
  const t = config.temporalTls;
  if (!t) return undefined;
  return {
    ...(t.serverName ? { serverNameOverride: t.serverName } : {}),
    ...(t.caFile ? { serverRootCACertificate: read(t.caFile, 'CA certificate') } : {}),
    ...(t.certFile && t.keyFile
      ? { clientCertPair: { crt: read(t.certFile, 'client certificate'), key: read(t.keyFile, 'client key') } }
      : {}),
  };
}
