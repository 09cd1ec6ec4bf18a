import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { NotifierStore } from '../store/notifier-store.repository';

/** Projects who receives applicant emails per posting (restricted topic), newest revision wins. */
@Injectable()
export class HiringTeamsConsumer {
  constructor(
    private readonly store: NotifierStore,
    @InjectPinoLogger(HiringTeamsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnTopic(Topics.hiringTeams)
  async project(batch: ConsumedEvent[]): Promise<void> {
    let applied = 0;
    for (const { event } of batch) {
      if (event.type === 'hiring-team.updated' && (await this.store.applyHiringTeam(event.data))) applied++;
    }
    this.logger.debug({ eventIds: batch.map((e) => e.event.id), applied }, 'hiring teams projected');
  }
}
