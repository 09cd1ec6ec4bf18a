import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EventEnvelope } from '@jobstream/contracts';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { DirtyKeysRepository } from '../snapshots/dirty-keys.repository';
import { ContributionsRepository } from './contributions.repository';

@Controller()
export class ContributionsConsumer {
  constructor(
    private readonly repository: ContributionsRepository,
    private readonly dirty: DirtyKeysRepository,
    @InjectPinoLogger(ContributionsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Raw values are added exactly once (report-id guards), then the touched companies' summaries
   * are recomputed and marked for the snapshot flusher. A redelivered batch re-runs the recompute
   * and the mark, which is what makes a crash between the writes and the mark harmless.
   */
  @OnEvents(['salary.reported', 'review.submitted', 'interview.reported'])
  async aggregate(batch: EventBatch<'salary.reported' | 'review.submitted' | 'interview.reported'>): Promise<void> {
    const salaries: EventEnvelope<'salary.reported'>[] = [];
    const reviews: EventEnvelope<'review.submitted'>[] = [];
    const interviews: EventEnvelope<'interview.reported'>[] = [];
    const companies = new Set<string>();
    for (const { event } of batch) {
      if (event.type === 'salary.reported') salaries.push(event);
      else if (event.type === 'review.submitted') reviews.push(event);
      else if (event.type === 'interview.reported') interviews.push(event);
      else continue;
      companies.add(event.data.companyId);
    }
    await this.repository.applySalaries(salaries);
    await this.repository.applyReviews(reviews);
    await this.repository.applyInterviews(interviews);
    for (const companyId of companies) await this.repository.recompute(companyId);
    await this.dirty.mark('companies', [...companies]);
    this.logger.debug({ salaries: salaries.length, reviews: reviews.length, interviews: interviews.length, companies: companies.size }, 'contributions aggregated');
  }
}
