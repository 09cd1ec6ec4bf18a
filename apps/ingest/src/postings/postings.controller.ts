import { Body, Controller, HttpCode, HttpException, Param, Patch, Post, Res } from '@nestjs/common';
import { PostingBatchResult, PostingWritten } from '../ingest.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import type { Response } from 'express';
import { postingContentIssues, validate } from '@jobstream/contracts';
import { BrokerUnavailableError } from '@jobstream/messaging/errors';
import { InvalidInputException } from '@jobstream/platform/http-errors';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { CurrentPrincipal, RequireRole, forbidOutsideScope } from '@jobstream/platform/auth/api-key.guard';
import type { Principal } from '@jobstream/platform/auth/api-keys.util';
import { pickContent, type PostingCommand } from './posting-lifecycle.util';
import { BATCH_LIMIT, BatchPostingsInput, CreatePostingInput, PostingIdParam, UpdatePostingInput } from './posting.input.schema';
import { PostingsService, type WriteResult } from './postings.service';

type ItemResult = { index: number; externalId?: string; statusCode: number } & (Partial<WriteResult> & { error?: string; message?: string; issues?: unknown });

const idPipe = new TypeBoxPipe(PostingIdParam, 'posting id');

/** 202 when the write produced an event (the read side follows shortly), 200 when nothing changed. */
function statusOf(result: WriteResult): number {
  return result.result === 'unchanged' ? 200 : 202;
}

@Controller('v1/postings')
@RequireRole('operator', 'recruiter')
export class PostingsController {
  constructor(private readonly postings: PostingsService) {}

  private toCommand(body: CreatePostingInput): Extract<PostingCommand, { kind: 'create' }> {
    return {
      kind: 'create',
      postingId: this.postings.newPostingId(),
      companyId: body.companyId,
      externalId: body.externalId,
      status: body.status ?? 'published',
      content: pickContent(body),
      hiringTeam: body.hiringTeam ?? [],
    };
  }

  /** Creates a posting; the same (companyId, externalId) again returns the same posting (200 if unchanged). */
  @ApiRoute({ summary: 'Create a posting, or get the same one back for a repeated (companyId, externalId)', auth: 'operator or recruiter of the company', body: CreatePostingInput, responses: { 202: { description: 'Created or changed (posting.published / posting.updated)', schema: PostingWritten }, 200: { description: 'Repeat of an unchanged posting: same postingId', schema: PostingWritten }, 403: 'The key may not write this company', 409: 'The posting is closed or expired', 503: 'Kafka or the registry unavailable; retry after Retry-After' } })
  @Post()
  async create(@Body(new TypeBoxPipe(CreatePostingInput, 'request body', postingContentIssues)) body: CreatePostingInput, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<WriteResult> {
    forbidOutsideScope(principal, body.companyId);
    const result = await this.postings.write(this.toCommand(body));
    res.status(statusOf(result));
    return result;
  }

  /** An ATS feed: up to 500 postings, answered per item; one bad item fails alone. */
  @ApiRoute({ summary: `An ATS feed of up to ${BATCH_LIMIT} postings, answered per item`, auth: 'operator or recruiter', body: BatchPostingsInput, responses: { 200: { description: 'Per-item results (statusCode, result, postingId or error)', schema: PostingBatchResult }, 400: 'Not a list of 1 to 500 postings', 503: 'Kafka unavailable: nothing of the batch was acknowledged' } })
  @Post('batch')
  @HttpCode(200)
  async batch(@Body(new TypeBoxPipe(BatchPostingsInput)) body: BatchPostingsInput, @CurrentPrincipal() principal: Principal): Promise<{ results: ItemResult[]; summary: Record<string, number> }> {
    const results: ItemResult[] = new Array<ItemResult>(body.postings.length);
    const accepted: { index: number; command: Extract<PostingCommand, { kind: 'create' }> }[] = [];
    body.postings.forEach((item, index) => {
      const checked = validate(CreatePostingInput, item, postingContentIssues);
      if (!checked.ok) {
        const e = new InvalidInputException(`posting at index ${index}`, checked.issues).getResponse() as Record<string, unknown>;
        results[index] = { index, statusCode: 400, ...e };
        return;
      }
      if (!principal.companies.includes(checked.value.companyId) && principal.role !== 'operator') {
        results[index] = { index, externalId: checked.value.externalId, statusCode: 403, error: 'Forbidden', message: `Key ${principal.keyId} may not write company ${checked.value.companyId}` };
        return;
      }
      accepted.push({ index, command: this.toCommand(checked.value) });
    });
    const written = await this.postings.writeMany(accepted.map((a) => a.command));
    written.forEach((outcome, i) => {
      const { index, command } = accepted[i];
      if (outcome instanceof Error) {
        if (outcome instanceof BrokerUnavailableError) throw outcome; // nothing of the batch was acknowledged
        const status = outcome instanceof HttpException ? outcome.getStatus() : 500;
        results[index] = { index, externalId: command.externalId, statusCode: status, message: status === 500 ? 'Internal error' : outcome.message };
      } else {
        results[index] = { index, externalId: command.externalId, statusCode: statusOf(outcome), ...outcome };
      }
    });
    const summary: Record<string, number> = {};
    for (const r of results) {
      const key = r.result ?? `error_${r.statusCode}`;
      summary[key] = (summary[key] ?? 0) + 1;
    }
    return { results, summary };
  }

  @ApiRoute({ summary: 'Update fields of a draft or published posting', auth: 'operator or recruiter of the company', params: { id: PostingIdParam }, body: UpdatePostingInput, responses: { 202: { description: 'Updated (posting.updated)', schema: PostingWritten }, 200: { description: 'Nothing changed', schema: PostingWritten }, 404: 'Unknown posting', 409: 'Closed or expired', 503: 'Kafka or the registry unavailable; retry after Retry-After' } })
  @Patch(':id')
  async update(@Param('id', idPipe) id: string, @Body(new TypeBoxPipe(UpdatePostingInput, 'request body', postingContentIssues)) body: Record<string, unknown>, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<WriteResult> {
    const record = await this.postings.get(id);
    forbidOutsideScope(principal, record.companyId);
    const { hiringTeam, ...patch } = body as { hiringTeam?: { name: string; email: string }[] };
    const result = await this.postings.write({ kind: 'update', patch: pickContent(patch), ...(hiringTeam ? { hiringTeam } : {}) }, id);
    res.status(statusOf(result));
    return result;
  }

  @ApiRoute({ summary: 'Publish a draft', auth: 'operator or recruiter of the company', params: { id: PostingIdParam }, responses: { 202: { description: 'Published', schema: PostingWritten }, 200: { description: 'Already published', schema: PostingWritten }, 404: 'Unknown posting', 409: 'Closed or expired', 503: 'Kafka or the registry unavailable; retry after Retry-After' } })
  @Post(':id/publish')
  publish(@Param('id', idPipe) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<WriteResult> {
    return this.transition(id, 'publish', principal, res);
  }

  @ApiRoute({ summary: 'Close a posting (leaves search, stays readable)', auth: 'operator or recruiter of the company', params: { id: PostingIdParam }, responses: { 202: { description: 'Closed', schema: PostingWritten }, 200: { description: 'Already closed', schema: PostingWritten }, 404: 'Unknown posting', 409: 'Already expired', 503: 'Kafka or the registry unavailable; retry after Retry-After' } })
  @Post(':id/close')
  close(@Param('id', idPipe) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<WriteResult> {
    return this.transition(id, 'close', principal, res);
  }

  private async transition(id: string, kind: 'publish' | 'close', principal: Principal, res: Response): Promise<WriteResult> {
    const record = await this.postings.get(id);
    forbidOutsideScope(principal, record.companyId);
    const result = await this.postings.write({ kind }, id);
    res.status(statusOf(result));
    return result;
  }
}
