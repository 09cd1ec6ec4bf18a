import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response, NextFunction } from 'express';
import type { Logger } from 'pino';
import type { ValidationIssue } from '@jobstream/contracts';
import { methodNotAllowed } from './allowed-methods';
import { bodyErrorProblem } from './body-errors';
import { PROBLEM_TYPES, problem, problemInputOf, sendProblem } from './problem';

/** 400 whose body names every offending field. */
export class InvalidInputException extends BadRequestException {
  constructor(what: string, readonly issues: ValidationIssue[]) {
    super({ statusCode: 400, error: 'Bad Request', message: `Invalid ${what}: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`, issues });
  }
}

/** 503 with Retry-After: the write was not accepted and may be retried as is. */
export class ServiceUnavailableException extends HttpException {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super({ statusCode: 503, error: 'Service Unavailable', message }, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/**
 * Maps errors to RFC 9457 problem answers; anything unexpected is a logged 500 that reveals nothing
 * internal. A 404 on a path that exists for other methods becomes a 405 with `Allow`.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly mapError: (err: unknown) => HttpException | undefined = () => undefined,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const instance = req.originalUrl?.split('?')[0] ?? req.url ?? '/';
    const err = exception instanceof HttpException ? exception : this.mapError(exception);
    if (!err) {
      this.logger.error({ err: exception }, 'unhandled error');
      sendProblem(res, problem(500, instance, { message: 'Internal server error' }));
      return;
    }
    const status = err.getStatus();
    if (status === 404) {
      const allow = methodNotAllowed(req);
      if (allow) {
        res.setHeader('Allow', allow.join(', '));
        sendProblem(res, problem(405, instance, { type: PROBLEM_TYPES.methodNotAllowed, message: `${req.method} is not allowed on ${req.path}; allowed: ${allow.join(', ')}` }));
        return;
      }
    }
    if (err instanceof ServiceUnavailableException) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    const input = problemInputOf(err.getResponse());
    if (err instanceof InvalidInputException && !input.type) input.type = PROBLEM_TYPES.invalidInput;
    sendProblem(res, problem(status, instance, input));
  }
}

/** Body-parser failures (bad JSON or UTF-8, oversize body, bad Content-Encoding or charset) as 4xx problems. */
export function bodyParserErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const found = bodyErrorProblem(err);
  if (!found) return next(err);
  sendProblem(res, problem(found.status, req.originalUrl.split('?')[0], found.input));
}
