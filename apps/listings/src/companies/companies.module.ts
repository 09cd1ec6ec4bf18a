import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CompaniesConsumer } from './companies.consumer';
import { CompaniesController } from './companies.controller';
import { CompaniesRepository } from './companies.repository';
import { Company, CompanySchema } from './company.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: Company.name, schema: CompanySchema }])],
  controllers: [CompaniesController],
  providers: [CompaniesRepository, CompaniesConsumer],
})
export class CompaniesModule {}
