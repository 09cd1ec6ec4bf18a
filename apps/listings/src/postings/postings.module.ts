import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { PostingsConsumer } from './postings.consumer';
import { PostingsController } from './postings.controller';

@Module({
  imports: [ReadModelsModule],
  controllers: [PostingsController, PostingsConsumer],
})
export class PostingsModule {}
