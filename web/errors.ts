// The web app's errors: one JSON shape `{error: {code, message}}`, stable codes, and messages that never carry SQL,
// stack traces, paths or the request's own input (only HttpError's own messages, written for the client, are shown).
import type { FastifyError, FastifyInstance } from 'fastify';
import { logger } from '../infra/logger';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const UNAUTHORIZED = { code: 'AUTH.UNAUTHORIZED', message: 'a valid token is required' } as const;
export const FORBIDDEN = { code: 'AUTH.FORBIDDEN', message: 'this role may not use this route' } as const;

/** Fixed answers to the framework's client errors (its messages can quote the body or the URL: never sent). */
const CLIENT_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'REQUEST.INVALID', message: 'the request is malformed' },
  401: UNAUTHORIZED,
  403: FORBIDDEN,
  404: { code: 'NOT_FOUND', message: 'no such route' },
  405: { code: 'REQUEST.METHOD_NOT_ALLOWED', message: 'method not allowed' },
  406: { code: 'REQUEST.NOT_ACCEPTABLE', message: 'not acceptable' },
  413: { code: 'REQUEST.TOO_LARGE', message: 'the request body is too large' },
  414: { code: 'REQUEST.URI_TOO_LONG', message: 'the request URI is too long' },
  415: { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'unsupported content type' },
  429: { code: 'REQUEST.RATE_LIMITED', message: 'too many requests: slow down' },
  431: { code: 'REQUEST.HEADERS_TOO_LARGE', message: 'the request headers are too large' },
};

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

export function installErrorHandlers(app: FastifyInstance): void {
  const log = logger('web');
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody(CLIENT_ERRORS[404]!.code, CLIENT_ERRORS[404]!.message)));
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send(errorBody(err.code, err.message));
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const known = CLIENT_ERRORS[status] ?? { code: 'REQUEST.REJECTED', message: 'the request was rejected' };
      return reply.code(status).send(errorBody(known.code, known.message));
    }
    // A server error: logged with its code and route (no message: a PostgreSQL error can quote a value), answered plainly.
    log.error('web request failed', { route: req.routeOptions.url, method: req.method, code: (err as { code?: string }).code ?? err.name });
    return reply.code(500).send(errorBody('INTERNAL', 'the request could not be served'));
  });
}
