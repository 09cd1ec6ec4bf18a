import { Controller, Get, Headers, NotFoundException, Param } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { ApplicationStatusSchema } from '../listings.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import type { RejectionReason } from './application-decision.util';
import { ApplicationStatuses } from './application-statuses';

export interface ApplicationStatusView {
  applicationId: string;
  postingId: string;
  status: 'pending' | 'accepted' | 'rejected';
  reason?: RejectionReason;
  detail?: string;
  decidedAt?: string;
}

/** The presented token from `x-receipt-token` or `Authorization: Bearer`. */
export function presentedToken(receiptHeader: string | undefined, authorization: string | undefined): string | undefined {
  if (receiptHeader?.trim()) return receiptHeader.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** Constant-time comparison of SHA-256(token) with the stored hash. */
export function tokenMatches(token: string | undefined, storedHashHex: string | undefined): boolean {
  if (!token || !storedHashHex || !/^[a-f0-9]{64}$/.test(storedHashHex)) return false;
  const presented = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(presented, Buffer.from(storedHashHex, 'hex'));
}

@Controller('v1/applications')
export class ApplicationsController {
  constructor(private readonly statuses: ApplicationStatuses) {}

  /**
   * The decision of an application, only for the holder of its receipt token; anyone else gets the
   * same 404 as for an unknown id, so existence isn't revealed. Before listings has decided, the
   * token can't be checked (only its hash travels, inside the event): that is a 404 too, and the
   * candidate retries. Stored decisions are always accepted or rejected.
   */
  @ApiRoute({ summary: 'Status of an application, for the holder of its receipt token (x-receipt-token or Bearer)', params: { id: Id('application id') }, headers: { 'x-receipt-token': { description: 'The receipt token ingest handed out (or Authorization: Bearer <token>)', schema: Type.String() } }, responses: { 200: { description: 'pending, accepted, or rejected with a reason', schema: ApplicationStatusSchema }, 404: 'Unknown application or wrong token', 503: 'The status view is being rebuilt (FerretDB deployments only); retry after Retry-After' } })
  @Get(':id')
  async status(
    @Param('id', new TypeBoxPipe(Id('application id'), 'application id')) id: string,
    @Headers('x-receipt-token') receiptHeader: string | undefined,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<ApplicationStatusView> {
    const notFound = new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No application ${id}` });
    const token = presentedToken(receiptHeader, authorization);
    const entry = await this.statuses.find(id);
    if (!entry || !tokenMatches(token, entry.receiptTokenHash)) throw notFound;
    return {
      applicationId: id,
      postingId: entry.postingId,
      status: entry.status,
      ...(entry.reason ? { reason: entry.reason } : {}),
      ...(entry.detail ? { detail: entry.detail } : {}),
      decidedAt: entry.decidedAt,
    };
  }
}
