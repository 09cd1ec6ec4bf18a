import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CompaniesRepository } from '../companies/companies.repository';
import { PostingsRepository } from '../postings/postings.repository';
import { ReadModelsModule } from '../read-models/read-models.module';
import { Application, ApplicationSchema } from './application.schema';
import { ApplicationsConsumer } from './applications.consumer';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { CompanyLookup, PostingLookup } from './posting-lookup';
import { ProjectionWatermark } from './projection-watermark';

@Module({
  imports: [ReadModelsModule, MongooseModule.forFeature([{ name: Application.name, schema: ApplicationSchema }])],
  controllers: [ApplicationsController, ApplicationsConsumer],
  providers: [
    ApplicationsRepository,
    ProjectionWatermark,
    // The decision reads the listings projections through narrow ports.
    { provide: PostingLookup, useExisting: PostingsRepository },
    { provide: CompanyLookup, useExisting: CompaniesRepository },
  ],
})
export class ApplicationsModule {}
