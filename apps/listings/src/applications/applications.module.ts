import { Module } from '@nestjs/common';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { REDIS, ROOT_LOGGER } from '@jobstream/platform';
import { DOCUMENT_WRITES, type DocumentWrites } from '@jobstream/platform/document-store';
import { CompaniesRepository } from '../companies/companies.repository';
import { PostingsRepository } from '../postings/postings.repository';
import { ReadModelsModule } from '../read-models/read-models.module';
import { Application, ApplicationSchema } from './application.schema';
import { ApplicationStatuses, RedisApplicationStatuses, StoredApplicationStatuses } from './application-statuses';
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
    {
      // Like every FerretDB workaround, chosen by the document engine: MongoDB answers by index.
      provide: ApplicationStatuses,
      inject: [DOCUMENT_WRITES, ApplicationsRepository, REDIS, getConnectionToken(), ROOT_LOGGER],
      useFactory: (writes: DocumentWrites, repository: ApplicationsRepository, redis: Redis, connection: Connection, logger: Logger) =>
        writes.engine === 'ferretdb' ? new RedisApplicationStatuses(repository, redis, connection.name, logger) : new StoredApplicationStatuses(repository),
    },
    // The decision reads the listings projections through narrow ports.
    { provide: PostingLookup, useExisting: PostingsRepository },
    { provide: CompanyLookup, useExisting: CompaniesRepository },
  ],
})
export class ApplicationsModule {}
