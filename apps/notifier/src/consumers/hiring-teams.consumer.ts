import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { NotifierStore } from '../store/notifier-store.repository';

/** Projects who receives applicant emails per posting (restricted topic), newest revision wins. */
@Controller()
export class HiringTeamsConsumer {
  constructor(
    private readonly store: NotifierStore,
    @InjectPinoLogger(HiringTeamsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['hiring-team.updated'])
  async project(batch: EventBatch<'hiring-team.updated'>): Promise<void> {
    let applied = 0;
    for (const { event } of batch) {
      if (event.type === 'hiring-team.updated' && (await this.store.applyHiringTeam(event.data))) applied++;
    }
    this.logger.debug({ eventIds: batch.map((e) => e.event.id), applied }, 'hiring teams projected');
  }
}
