import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CompaniesRepository } from '../companies/companies.repository';
import { Company, CompanySchema } from '../companies/company.schema';
import { PostingsRepository } from '../postings/postings.repository';
import { Posting, PostingSchema } from '../postings/posting.schema';

/** The listings read models and their repositories, shared by the capability modules. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Company.name, schema: CompanySchema },
      { name: Posting.name, schema: PostingSchema },
    ]),
  ],
  providers: [CompaniesRepository, PostingsRepository],
  exports: [CompaniesRepository, PostingsRepository],
})
export class ReadModelsModule {}
