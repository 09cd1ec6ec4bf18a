import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { Id } from '@jobstream/contracts';
import { TypeBoxPipe } from '@jobstream/platform/typebox.pipe';
import { CompaniesRepository, type CompanyView } from './companies.repository';

@Controller('v1/companies')
export class CompaniesController {
  constructor(private readonly repository: CompaniesRepository) {}

  @Get(':id')
  async get(@Param('id', new TypeBoxPipe(Id('company id'), 'company id')) id: string): Promise<CompanyView> {
    const company = await this.repository.findById(id);
    if (!company) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No company ${id}` });
    return company;
  }
}
