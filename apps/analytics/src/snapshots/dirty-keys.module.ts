import { Module } from '@nestjs/common';
import { redisKeysProvider } from '../analytics.tokens';
import { DirtyKeysRepository } from './dirty-keys.repository';

@Module({ providers: [redisKeysProvider, DirtyKeysRepository], exports: [DirtyKeysRepository] })
export class DirtyKeysModule {}
