import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { CompanyPageSchema } from '../listings.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import type { PostingSnapshot } from '@jobstream/contracts';
import { PostingsRepository } from '../postings/postings.repository';
import { EMPTY_INSIGHTS } from '../postings/page';
import { CompaniesRepository, type CompanyView } from './companies.repository';

@Controller('v1/companies')
export class CompaniesController {
  constructor(
    private readonly repository: CompaniesRepository,
    private readonly postings: PostingsRepository,
  ) {}

  /** The company profile, its summaries (empty until analytics publishes them) and its open postings. */
  @ApiRoute({ summary: 'A company: profile, summaries and open postings', params: { id: Id('company id') }, responses: { 200: { description: 'The company', schema: CompanyPageSchema }, 404: 'Unknown company' } })
  @CacheControl()
  @Get(':id')
  async get(@Param('id', new TypeBoxPipe(Id('company id'), 'company id')) id: string): Promise<CompanyView & { openPostings: PostingSnapshot[] }> {
    const company = await this.repository.findById(id);
    if (!company) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No company ${id}` });
    const { insights, ...profile } = company;
    return { ...profile, insights: insights ?? { ...EMPTY_INSIGHTS, trendingScore: 0, updatedAt: new Date(0).toISOString() }, openPostings: await this.postings.openPostingsOf(id, 100) };
  }
}
