import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { CompanyPageSchema } from '../listings.responses';
import { ApiRoute } from '@jobstream/platform/openapi';
import { CacheControl } from '@jobstream/platform/cache-control';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import type { PostingSnapshot } from '@jobstream/contracts';
import { companyPanel, EMPTY_INSIGHTS, type CompanyPanel } from '../postings/page';
import { PageReader, type CompanyInsights } from '../search/page.reader';

export type CompanyPage = CompanyPanel & { updatedAt?: string; insights: CompanyInsights; openPostings: PostingSnapshot[] };

@Controller('v1/companies')
export class CompaniesController {
  constructor(private readonly pages: PageReader) {}

  /** The company profile, its summaries (empty until analytics publishes them) and its open postings, from the search index. */
  @ApiRoute({ summary: 'A company: profile, summaries and open postings', params: { id: Id('company id') }, responses: { 200: { description: 'The company', schema: CompanyPageSchema }, 404: 'Unknown company' } })
  @CacheControl()
  @Get(':id')
  async get(@Param('id', new TypeBoxPipe(Id('company id'), 'company id')) id: string): Promise<CompanyPage> {
    const [company, openPostings] = await Promise.all([this.pages.company(id), this.pages.openPostingsOf(id, 100)]);
    const panel = companyPanel(company);
    if (!panel) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No company ${id}` });
    return {
      ...panel,
      ...(company?.updatedAt ? { updatedAt: company.updatedAt } : {}),
      insights: company?.insights ?? { ...EMPTY_INSIGHTS, trendingScore: 0, updatedAt: new Date(0).toISOString() },
      openPostings,
    };
  }
}
