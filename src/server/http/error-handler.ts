import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, RateLimitedError } from '../lib/app-error.js';
import { isConnectionError, isUnstorableText } from '../storage/errors.js';
import { problem, sendProblem } from './problem.js';

/**
 * One mapping from any error to problem+json (RFC 9457). Only AppError and
 * the framework's own client errors say what went wrong; anything else is an
 * opaque 500 whose detail stays in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RateLimitedError) reply.header('retry-after', String(Math.max(1, error.retryAfterSeconds)));
    // RFC 6750 §3: a 401 names the scheme it wants (the console's cookie is the other way in).
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="hwtokens"');
    if (error instanceof AppError) return sendProblem(reply, problem(error.code, error.message, error.errors));
    if (error.validation) {
      const errors = error.validation.map((v) => ({
        ref: `${error.validationContext ?? 'request'}${v.instancePath || ''}`,
        reason: v.message ?? 'is not valid',
      }));
      return sendProblem(reply, problem('VALIDATION_FAILED', errors.map((e) => `${e.ref} ${e.reason}`).join('; '), errors));
    }
    const clientProblem = frameworkProblem(error);
    if (clientProblem) return sendProblem(reply, clientProblem);
    if (isUnstorableText(error)) {
      return sendProblem(reply, problem('VALIDATION_FAILED', 'The request holds a character that cannot be stored (such as U+0000).'));
    }
    if (isConnectionError(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendProblem(reply.header('retry-after', '5'), problem('SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly.'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problem('INTERNAL_ERROR', `An internal error occurred; it has been logged with the request id ${request.id}.`));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)));
}

function frameworkProblem(error: FastifyError) {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
      return problem('PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts.');
    case 'FST_FILES_LIMIT':
      return problem('VALIDATION_FAILED', 'Send one file part, named "file".');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return problem('UNSUPPORTED_MEDIA_TYPE', 'Send application/json (or multipart/form-data for an import).');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('VALIDATION_FAILED', 'The JSON body is empty.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('VALIDATION_FAILED', 'The Content-Length header does not match the body.');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problem('VALIDATION_FAILED', 'The body is not valid JSON.');
  }
  if (error.statusCode === 429) return problem('RATE_LIMITED', 'Too many requests; slow down.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return problem('VALIDATION_FAILED', 'The request could not be read.');
  }
  return undefined;
}

/**
 * Requests that Node's HTTP parser refuses before any route sees them (headers
 * too large, an unknown method, a malformed request line, a request too slow
 * to arrive) get problem+json too, then the connection closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const body = error.code === 'HPE_HEADER_OVERFLOW' ? problem('HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts.')
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? problem('REQUEST_TIMEOUT', 'The request did not arrive whole in time.')
      : problem('VALIDATION_FAILED', 'The request could not be read as HTTP.');
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${body.status} ${http.STATUS_CODES[body.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n`
      + `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy();
}
