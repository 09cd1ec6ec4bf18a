import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

/** RFC 9457 media type: every error answer of every service carries it. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable `type` URIs for the kinds of problem a client may want to tell apart; others are about:blank. */
export const PROBLEM_TYPES = {
  invalidInput: 'https://jobstream.dev/problems/invalid-input',
  undecodableBody: 'https://jobstream.dev/problems/undecodable-body',
  invalidUtf8: 'https://jobstream.dev/problems/invalid-utf8',
  unsupportedEncoding: 'https://jobstream.dev/problems/unsupported-encoding',
  methodNotAllowed: 'https://jobstream.dev/problems/method-not-allowed',
} as const;

export interface ProblemIssue {
  path: string;
  message: string;
}

/**
 * RFC 9457 members plus the members answers carried before problem+json (`statusCode`, `error`,
 * `message`, `issues`), kept as extension members so existing clients keep working.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  statusCode: number;
  error: string;
  message: string;
  issues?: ProblemIssue[];
  [extension: string]: unknown;
}

export interface ProblemInput {
  message: string;
  type?: string;
  issues?: ProblemIssue[];
  /** Further extension members (e.g. a domain error code). */
  extensions?: Record<string, unknown>;
}

/** The reason phrase of a status: the title, so a 415 never says "Bad Request". */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

export function problem(status: number, instance: string, input: ProblemInput): Problem {
  const title = statusTitle(status);
  return {
    ...input.extensions,
    type: input.type ?? 'about:blank',
    title,
    status,
    detail: input.message,
    instance,
    statusCode: status,
    error: title,
    message: input.message,
    ...(input.issues ? { issues: input.issues } : {}),
  };
}

/**
 * Reads what an HttpException (or a legacy `{statusCode, error, message, issues}` body) says.
 * Nest's own exceptions carry `message` as a string or, from its validation pipes, a string array.
 */
export function problemInputOf(body: unknown): ProblemInput {
  if (typeof body === 'string') return { message: body };
  if (!body || typeof body !== 'object') return { message: 'Error' };
  const { statusCode: _s, error: _e, message, issues, type, ...rest } = body as Record<string, unknown>;
  const text = Array.isArray(message) ? message.map(String).join('; ') : typeof message === 'string' ? message : 'Error';
  return {
    message: text,
    ...(typeof type === 'string' ? { type } : {}),
    ...(Array.isArray(issues) ? { issues: issues as ProblemIssue[] } : {}),
    ...(Object.keys(rest).length ? { extensions: rest } : {}),
  };
}

/** Sends a problem; errors are never cached (they may hold for one client or one moment only). */
export function sendProblem(res: Response, body: Problem): void {
  res.status(body.status);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.send(JSON.stringify(body));
}
