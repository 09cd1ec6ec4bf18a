import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { CompaniesConsumer } from './companies.consumer';
import { CompaniesController } from './companies.controller';

@Module({
  imports: [ReadModelsModule],
  controllers: [CompaniesController, CompaniesConsumer],
})
export class CompaniesModule {}
