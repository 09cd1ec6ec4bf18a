import { Module } from '@nestjs/common';
import { ContributionsController } from './contributions.controller';

@Module({ controllers: [ContributionsController] })
export class ContributionsModule {}
