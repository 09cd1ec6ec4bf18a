import { Controller } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Topics, type ApplicationSubmitted, type TopicName } from '@jobstream/contracts';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { EventPublisher } from '@jobstream/messaging/event-publisher';
import { NotYetError } from '@jobstream/messaging/errors';
import { counter, histogram } from '@jobstream/platform/metrics';
import { decide, factsFromEvent, limitScopeOf, type DecisionFacts } from './application-decision.util';
import { ApplicationsRepository, type ApplicationRecord } from './applications.repository';
import { ApplicationStatuses, statusEntryOf, type ApplicationStatusEntry } from './application-statuses';
import { outcomeEvent, outcomeEventId } from './outcome-event.util';
import { CompanyLookup, PostingLookup } from './posting-lookup';
import { DECISION_INPUT_TOPICS, ProjectionWatermark, type Watermark } from './projection-watermark';

const metrics = {
  decisions: counter({
    name: 'jobstream_application_decisions_total',
    help: "Applications decided, by what the decision was made on: 'registry' (the facts ingest recorded in the event) or 'projection' (listings' projection, for events without them)",
    labelNames: ['basis', 'status', 'reason'],
  }),
  projectionWait: histogram({
    name: 'jobstream_application_projection_wait_seconds',
    help: 'How long an application decided on the projection waited for the projection to reach what the topics held when it was read',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  }),
};

/** How many applications waiting for the projection are remembered (their watermark and start). */
const MAX_WAITING = 10_000;

/**
 * Decides applications in the order applied (the topic is keyed by candidate, so one candidate's
 * applications arrive in order on one partition) and publishes the outcomes. It runs in its own
 * consumer group (`<group>-applications`), so a backlog of the projection never delays it.
 *
 * Outcomes are a function of history: an application carries the posting revision, company
 * profile, group and policy that ingest's registry had acknowledged when the candidate applied,
 * and the limit counts the candidate's earlier decided applications, which this same partition
 * decided before it. Nothing depends on how far a projection has got.
 *
 * Crash safety: the decision is stored first (with published=false and a deterministic outcome
 * event id), then the outcome is published, then marked published. A redelivered event finds the
 * stored decision and re-publishes it if it isn't marked: the same event id, deduped downstream.
 */
@Controller()
export class ApplicationsConsumer {
  /** Applications without registry facts that are waiting for the projection, by application id. */
  private readonly waiting = new Map<string, { mark: Watermark; since: number; logged: boolean }>();

  constructor(
    private readonly repository: ApplicationsRepository,
    private readonly postings: PostingLookup,
    private readonly companies: CompanyLookup,
    private readonly watermark: ProjectionWatermark,
    private readonly publisher: EventPublisher,
    private readonly statuses: ApplicationStatuses,
    @InjectPinoLogger(ApplicationsConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @OnEvents(['application.submitted'], { group: 'applications' })
  async decideBatch(batch: EventBatch<'application.submitted'>): Promise<void> {
    const toPublish = new Map<string, ApplicationRecord>();
    const statuses: ApplicationStatusEntry[] = [];
    try {
      for (const { event, timestamp } of batch) {
        if (event.type !== 'application.submitted') continue;
        const decided = await this.decideOne(event.data, timestamp ? Number(timestamp) : Date.parse(event.occurredAt));
        if (!decided) continue;
        if (!decided.published) toPublish.set(decided._id, decided);
        // A duplicate submission's alias was just added with this event's token hash.
        const entry = statusEntryOf(decided, event.data.applicationId, event.data.receiptTokenHash);
        if (entry) statuses.push(entry);
      }
    } finally {
      // Decisions stored before a wait are published now, not after it; readable before the outcome
      // is out, so the candidate's email never links to a status that isn't there yet.
      await this.statuses.decided(statuses);
      if (toPublish.size > 0) await this.publish([...toPublish.values()]);
    }
  }

  private async publish(records: ApplicationRecord[]): Promise<void> {
    await this.publisher.publish(records.map((r) => outcomeEvent(r)));
    await this.repository.markPublished(records.map((r) => r._id));
    this.logger.info(
      { outcomes: records.map((r) => ({ applicationId: r._id, status: r.status, reason: r.reason, basis: r.basis })) },
      'application outcomes published',
    );
  }

  /** Returns the stored decision of this application (new or earlier), or undefined if none. */
  private async decideOne(data: ApplicationSubmitted, appliedAtMs: number): Promise<ApplicationRecord | undefined> {
    const existing =
      (await this.repository.findByApplicationId(data.applicationId)) ??
      (await this.repository.findByCandidateAndPosting(data.candidateId, data.postingId));
    if (existing) return this.sameApplication(existing, data);

    const facts = factsFromEvent(data) ?? (await this.factsFromProjection(data, appliedAtMs));
    if (facts.basis === 'registry' && !data.company && facts.posting) {
      // Ingest has no profile of this company (recorded only since ingest keeps them, so one
      // upserted before): the projection's, once it holds every profile from before the application.
      await this.projectionReached(data, appliedAtMs, [Topics.companies]);
      facts.company = await this.companies.findById(facts.posting.companyId);
    }
    const scope = limitScopeOf(facts.company);
    const acceptedSoFar = scope ? await this.repository.countAccepted(data.candidateId, scope) : 0;
    const decision = decide(facts.posting, scope, acceptedSoFar);
    const { posting, company } = facts;
    const record: ApplicationRecord = {
      _id: data.applicationId,
      candidateId: data.candidateId,
      postingId: data.postingId,
      ...(posting ? { companyId: posting.companyId, postingTitle: posting.title } : {}),
      ...(company?.name ? { companyName: company.name } : {}),
      ...(company?.group?.id ? { groupId: company.group.id } : {}),
      basis: facts.basis,
      ...(facts.postingRevision !== undefined ? { postingRevision: facts.postingRevision } : {}),
      ...(facts.companyVersion ? { companyVersion: facts.companyVersion } : {}),
      status: decision.status,
      ...(decision.status === 'rejected' ? { reason: decision.reason, detail: decision.detail } : {}),
      receiptTokenHash: data.receiptTokenHash,
      applicant: data.applicant,
      submittedAt: data.submittedAt,
      decidedAt: new Date().toISOString(),
      outcomeEventId: outcomeEventId(data.applicationId, data.submittedAt),
      published: false,
      aliasIds: [],
      aliases: [],
    };
    if ((await this.repository.insert(record)) === 'inserted') {
      metrics.decisions.inc({ basis: facts.basis, status: record.status, reason: record.reason ?? '' });
      return record;
    }
    // Someone stored it meanwhile (a duplicate submission, or a redelivery racing a rebalance).
    const raced =
      (await this.repository.findByApplicationId(data.applicationId)) ??
      (await this.repository.findByCandidateAndPosting(data.candidateId, data.postingId));
    return raced ? this.sameApplication(raced, data) : undefined;
  }

  /**
   * For an application published before ingest recorded its facts: the projection's posting and
   * company, once the projection has committed every posting and company record from before the
   * application was made (so whatever was acknowledged before it is in). Until then it throws
   * NotYetError: the slice is retried with backoff while the consumer heartbeats, in order, never
   * parked. The projection may be further along by then: such an application is decided on the
   * posting as it stands at or after the moment it was made.
   */
  private async factsFromProjection(data: ApplicationSubmitted, appliedAtMs: number): Promise<DecisionFacts> {
    await this.projectionReached(data, appliedAtMs, DECISION_INPUT_TOPICS);
    const posting = await this.postings.findById(data.postingId);
    const company = posting ? await this.companies.findById(posting.companyId) : null;
    return { basis: 'projection', posting, company };
  }

  /**
   * Resolves once the projection group has committed every record of `topics` from before the
   * application was made; until then throws NotYetError (retried with backoff, heartbeating, in
   * order, never parked). Logs the wait once, and its end.
   */
  private async projectionReached(data: ApplicationSubmitted, appliedAtMs: number, topics: readonly TopicName[]): Promise<void> {
    const key = `${data.applicationId}:${topics.join(',')}`;
    let wait = this.waiting.get(key);
    if (!wait) {
      if (this.waiting.size >= MAX_WAITING) this.waiting.delete(this.waiting.keys().next().value!);
      wait = { mark: await this.watermark.before(appliedAtMs, topics), since: Date.now(), logged: false };
      this.waiting.set(key, wait);
    }
    const behind = await this.watermark.behind(wait.mark);
    if (behind.length > 0) {
      if (!wait.logged) {
        wait.logged = true;
        this.logger.info({ applicationId: data.applicationId, postingId: data.postingId, behind }, 'application waits for the projection to catch up before it is decided');
      }
      throw new NotYetError(`application ${data.applicationId} waits for the projection: ${behind.join(', ')}`);
    }
    this.waiting.delete(key);
    const waitedMs = Date.now() - wait.since;
    metrics.projectionWait.observe(waitedMs / 1000);
    if (wait.logged) this.logger.info({ applicationId: data.applicationId, waitedMs }, 'projection caught up; application decided on it');
  }

  /** Applying twice to one posting is one application: the later submission only gets a receipt alias. */
  private async sameApplication(existing: ApplicationRecord, data: ApplicationSubmitted): Promise<ApplicationRecord> {
    if (existing._id !== data.applicationId && !existing.aliasIds.includes(data.applicationId)) {
      await this.repository.addAlias(existing._id, { applicationId: data.applicationId, receiptTokenHash: data.receiptTokenHash });
    }
    return existing;
  }
}
