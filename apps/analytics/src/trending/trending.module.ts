import { Module } from '@nestjs/common';
import { redisKeysProvider } from '../analytics.tokens';
import { TrendingController } from './trending.controller';
import { TrendingRepository } from './trending.repository';

@Module({ controllers: [TrendingController], providers: [redisKeysProvider, TrendingRepository], exports: [TrendingRepository] })
export class TrendingModule {}
