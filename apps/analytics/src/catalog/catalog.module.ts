import { Module } from '@nestjs/common';
import { redisKeysProvider } from '../analytics.tokens';
import { CatalogConsumer } from './catalog.consumer';
import { CatalogRepository } from './catalog.repository';

@Module({ providers: [redisKeysProvider, CatalogRepository], controllers: [CatalogConsumer] })
export class CatalogModule {}
