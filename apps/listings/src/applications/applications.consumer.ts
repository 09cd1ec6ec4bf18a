import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics, type ApplicationSubmitted } from '@jobstream/contracts';
import { OnTopic } from '@jobstream/messaging/on-topic.decorator';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import type { ConsumedEvent } from '@jobstream/messaging/batch-processor';
import { sleep } from '@jobstream/messaging/backoff.util';
import { decide, limitScopeOf } from './application-decision.util';
import { ApplicationsRepository, type ApplicationRecord } from './applications.repository';
import { outcomeEvent, outcomeEventId } from './outcome-event.util';
import { CompanyLookup, PostingLookup, type PostingView } from './posting-lookup';

/**
 * How long one batch may wait for a posting that isn't projected yet (the posting event and the
 * application travel on different topics, so an application can overtake its posting). Bounded
 * well below the Kafka session timeout, because the handler can't heartbeat while it waits.
 */
export const POSTING_GRACE_MS = 5_000;
const POSTING_POLL_MS = 250;

/**
 * Decides applications in the order applied (the topic is keyed by candidate, so one candidate's
 * applications arrive in order on one partition) and publishes the outcomes.
 *
 * Crash safety: the decision is stored first (with published=false and a deterministic outcome
 * event id), then the outcome is published, then marked published. A redelivered event finds the
 * stored decision and re-publishes it if it isn't marked: the same event id, deduped downstream.
 */
@Injectable()
export class ApplicationsConsumer {
  constructor(
    private readonly repository: ApplicationsRepository,
    private readonly postings: PostingLookup,
    private readonly companies: CompanyLookup,
    private readonly publisher: EventPublisher,
    @InjectPinoLogger(ApplicationsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnTopic(Topics.applications)
  async decideBatch(batch: ConsumedEvent[]): Promise<void> {
    const graceDeadline = Date.now() + POSTING_GRACE_MS;
    const toPublish = new Map<string, ApplicationRecord>();
    for (const { event } of batch) {
      if (event.type !== 'application.submitted') continue;
      const decided = await this.decideOne(event.data, graceDeadline);
      if (decided && !decided.published) toPublish.set(decided._id, decided);
    }
    if (toPublish.size === 0) return;
    const records = [...toPublish.values()];
    await this.publisher.publish(records.map((r) => outcomeEvent(r)));
    await this.repository.markPublished(records.map((r) => r._id));
    this.logger.info(
      { outcomes: records.map((r) => ({ applicationId: r._id, status: r.status, reason: r.reason })) },
      'application outcomes published',
    );
  }

  /** Returns the stored decision of this application (new or earlier), or undefined if none. */
  private async decideOne(data: ApplicationSubmitted, graceDeadline: number): Promise<ApplicationRecord | undefined> {
    const existing =
      (await this.repository.findByApplicationId(data.applicationId)) ??
      (await this.repository.findByCandidateAndPosting(data.candidateId, data.postingId));
    if (existing) return this.sameApplication(existing, data);

    const posting = await this.postingWithGrace(data.postingId, graceDeadline);
    const company = posting ? await this.companies.findById(posting.companyId) : null;
    const scope = limitScopeOf(company);
    const acceptedSoFar = scope ? await this.repository.countAccepted(data.candidateId, scope) : 0;
    const decision = decide(posting, scope, acceptedSoFar);
    const record: ApplicationRecord = {
      _id: data.applicationId,
      candidateId: data.candidateId,
      postingId: data.postingId,
      ...(posting ? { companyId: posting.companyId, postingTitle: posting.title } : {}),
      ...(company?.group?.id ? { groupId: company.group.id } : {}),
      status: decision.status,
      ...(decision.status === 'rejected' ? { reason: decision.reason, detail: decision.detail } : {}),
      receiptTokenHash: data.receiptTokenHash,
      applicant: data.applicant,
      submittedAt: data.submittedAt,
      decidedAt: new Date().toISOString(),
      outcomeEventId: outcomeEventId(data.applicationId),
      published: false,
      aliasIds: [],
      aliases: [],
    };
    if ((await this.repository.insert(record)) === 'inserted') return record;
    // Someone stored it meanwhile (a duplicate submission, or a redelivery racing a rebalance).
    const raced =
      (await this.repository.findByApplicationId(data.applicationId)) ??
      (await this.repository.findByCandidateAndPosting(data.candidateId, data.postingId));
    return raced ? this.sameApplication(raced, data) : undefined;
  }

  /** Applying twice to one posting is one application: the later submission only gets a receipt alias. */
  private async sameApplication(existing: ApplicationRecord, data: ApplicationSubmitted): Promise<ApplicationRecord> {
    if (existing._id !== data.applicationId && !existing.aliasIds.includes(data.applicationId)) {
      await this.repository.addAlias(existing._id, { applicationId: data.applicationId, receiptTokenHash: data.receiptTokenHash });
    }
    return existing;
  }

  private async postingWithGrace(postingId: string, deadline: number): Promise<PostingView | null> {
    for (;;) {
      const posting = await this.postings.findById(postingId);
      if (posting || Date.now() >= deadline) return posting;
      await sleep(Math.min(POSTING_POLL_MS, Math.max(0, deadline - Date.now())));
    }
  }
}
