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

/** Maps errors to JSON answers; anything unexpected is a logged 500 that reveals nothing internal. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly mapError: (err: unknown) => HttpException | undefined = () => undefined,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const err = exception instanceof HttpException ? exception : this.mapError(exception);
    if (!err) {
      this.logger.error({ err: exception }, 'unhandled error');
      res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
      return;
    }
    if (err instanceof ServiceUnavailableException) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    const body = err.getResponse();
    res.status(err.getStatus()).json(typeof body === 'string' ? { statusCode: err.getStatus(), message: body } : body);
  }
}

/** Body-parser failures (bad JSON, oversize body, wrong charset) answered as JSON 4xx errors. */
export function bodyParserErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (!e || typeof e.status !== 'number' || !e.type) return next(err);
  const status = e.status;
  const message =
    e.type === 'entity.too.large'
      ? `Request body is larger than the limit of ${e.limit} bytes`
      : e.type === 'entity.parse.failed'
        ? `Request body is not valid JSON: ${e.message}`
        : (e.message ?? 'Bad request body');
  res.status(status).json({ statusCode: status, error: status === 413 ? 'Payload Too Large' : 'Bad Request', message });
}
