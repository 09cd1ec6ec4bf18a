import { Inject, Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { APP_CONFIG } from '@jobstream/platform';
import type { AnalyticsConfig } from '../analytics.config';
import type { TrendingWeights } from '../trending/trending.util';
import { EngagementRepository } from './engagement.repository';
import { KIND_OF_TYPE, engagementItem, type EngagementItem } from './engagement.util';

@Controller()
export class EngagementConsumer {
  private readonly weights: TrendingWeights;
  private readonly halfLifeMs: number;

  constructor(
    private readonly repository: EngagementRepository,
    @Inject(APP_CONFIG) config: AnalyticsConfig,
    @InjectPinoLogger(EngagementConsumer.name) private readonly logger: PinoLogger,
  ) {
    this.weights = {
      view: config.ANALYTICS_TRENDING_WEIGHT_VIEW,
      'apply-click': config.ANALYTICS_TRENDING_WEIGHT_APPLY_CLICK,
      scrap: config.ANALYTICS_TRENDING_WEIGHT_SCRAP,
      'mock-application': config.ANALYTICS_TRENDING_WEIGHT_MOCK_APPLY,
    };
    this.halfLifeMs = config.ANALYTICS_TRENDING_HALF_LIFE_HOURS * 3_600_000;
  }

  /** One atomic Redis script per batch; redeliveries and replays are skipped by event id. */
  @OnEvents(['posting.viewed', 'posting.apply-clicked', 'posting.scrapped', 'posting.unscrapped', 'posting.mock-applied'])
  async count(batch: EventBatch<'posting.viewed' | 'posting.apply-clicked' | 'posting.scrapped' | 'posting.unscrapped' | 'posting.mock-applied'>): Promise<void> {
    const now = Date.now();
    const items: EngagementItem[] = [];
    for (const { event } of batch) {
      switch (event.type) {
        case 'posting.viewed':
        case 'posting.apply-clicked':
        case 'posting.scrapped':
        case 'posting.unscrapped':
        case 'posting.mock-applied':
          items.push(engagementItem({ id: event.id, occurredAt: event.occurredAt, data: event.data, kind: KIND_OF_TYPE[event.type] }, this.weights, this.halfLifeMs, now));
          break;
        default:
          break;
      }
    }
    const result = await this.repository.apply(items);
    this.logger.debug({ events: items.length, ...result }, 'engagement counted');
  }
}
