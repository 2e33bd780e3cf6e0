import type { FastifyReply } from 'fastify';
import { ERROR_CATALOGUE, problemTypeUri, type ErrorCode, type Problem } from '../../contract/errors.js';

export function problem(code: ErrorCode, detail: string, errors?: Problem['errors']): Problem {
  const { status, title } = ERROR_CATALOGUE[code];
  return { type: problemTypeUri(code), title, status, detail, code, ...(errors ? { errors } : {}) };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}
