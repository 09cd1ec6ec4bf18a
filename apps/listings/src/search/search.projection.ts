import { Inject, Controller, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Kafka } from 'kafkajs';
import { Consumers, type EventEnvelope } from '@jobstream/contracts';
import { OnEvents, type EventBatch } from '@jobstream/messaging/on-events.decorator';
import { PermanentEventError } from '@jobstream/messaging/errors';
import { SpacedCalls } from '@jobstream/platform/spaced-calls';
import { KAFKA, MESSAGING_OPTIONS, projectionGroupId, type MessagingOptions } from '@jobstream/messaging/messaging.module';
import { companyDocId, companyLines, insightsLines, itemOutcome, nameSyncLines, postingLines, statsLines, type BulkAnswer, type BulkLine, type CompanyName } from './search.document';
import type { SearchIndex } from './search-index';
import { SearchUnavailableError, type OpenSearchGateway } from './opensearch.gateway';
import { OPENSEARCH, SEARCH_INDEX, SEARCH_PROJECTION, SEARCH_PROJECTIONS, SEARCH_STATS_PROJECTION, type SearchProjectionName } from './search.tokens';

type PostingEvent = EventEnvelope<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>;

/** The topics a group of the index reads, from the Consumers table (checked against the handlers by test/consumers.e2e-spec.ts). */
const topicsOf = (projection: SearchProjectionName): string[] => Consumers.filter((c) => c.service === 'listings' && c.group === projection).map((c) => c.topic);
/**
 * A rebuild takes the alias over once its group is at most this many events behind: under a
 * steady write load the lag is rarely exactly 0, and the rest arrives within a second.
 */
const SWITCH_MAX_LAG = 100;
const SWITCH_CHECK_MS = 2_000;
/**
 * Least time between two refreshes a replica asks for after writing postings: a burst of batches
 * costs the engine at most this many refreshes a second, however small its batches.
 */
const POSTING_REFRESH_GAP_MS = 200;
/** Companies per search for their postings to rename: two clauses each, well inside the engine's 1,024. */
const RENAME_COMPANIES_PER_SEARCH = 200;

/** The ids of the events behind each document id. */
function eventIdsBy<E extends EventEnvelope>(events: readonly E[], docId: (e: E) => string): Map<string, string[]> {
  const byDoc = new Map<string, string[]>();
  for (const e of events) {
    const ids = byDoc.get(docId(e)) ?? [];
    byDoc.set(docId(e), ids);
    ids.push(e.id);
  }
  return byDoc;
}

/** The document ids of bulk update lines (action, then body). */
const bulkIds = (lines: readonly BulkLine[]): string[] => lines.filter((_, i) => i % 2 === 0).map((l) => String((l.update as { _id: string })._id));

/**
 * The search projection: postings, their counters and their companies (name, profile, summaries),
 * written into OpenSearch by consumer groups of its own (and so dlq.<group>s of its own: one for the
 * counters, see SEARCH_STATS_PROJECTION, one for the rest), beside listings'
 * MongoDB store of record. It serves search and the posting and company pages.
 * Every write is a versioned scripted upsert evaluated by the engine (see Scripts), so batches
 * may be redelivered, replayed or applied by several replicas at once.
 */
@Controller()
export class SearchProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private ready?: Promise<void>;
  private switchTimer?: NodeJS.Timeout;
  private switching = false;
  /**
   * Makes postings just written searchable now, not at the index's next scheduled refresh (up to
   * SEARCH_REFRESH_INTERVAL later): a job seeker searching for a posting its recruiter just
   * published, or no longer finding one just closed. Their pages read them at once anyway (a
   * real-time GET). Not on the batch's path: only when search sees the postings depends on it, and
   * a failed refresh leaves them to the scheduled one.
   */
  private readonly refreshAfterPostings = new SpacedCalls(
    POSTING_REFRESH_GAP_MS,
    () => this.index.refresh(),
    (err) => this.logger.debug({ err }, 'refresh after writing postings failed; the scheduled refresh shows them'),
  );

  constructor(
    @Inject(OPENSEARCH) private readonly os: OpenSearchGateway,
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
    @InjectPinoLogger(SearchProjection.name) private readonly logger: PinoLogger,
  ) {}

  /** The consumer group of one of the index's projections. */
  groupIdOf(projection: SearchProjectionName): string {
    return projectionGroupId(this.messaging.consumer?.KAFKA_GROUP_ID ?? 'listings', this.messaging.projectionGroups?.[projection] ?? projection);
  }

  onApplicationBootstrap(): void {
    void this.ensureIndex().catch((err: unknown) => this.logger.warn({ err }, 'search index not created yet; retried with the first batch'));
    this.switchTimer = setInterval(() => void this.maybeSwitchAlias(), SWITCH_CHECK_MS);
    this.switchTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.switchTimer);
    this.refreshAfterPostings.cancel();
  }

  private ensureIndex(): Promise<void> {
    this.ready ??= this.index.ensure().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  @OnEvents(['posting.published', 'posting.updated', 'posting.closed', 'posting.expired'], { group: SEARCH_PROJECTION })
  async projectPostings(batch: EventBatch<'posting.published' | 'posting.updated' | 'posting.closed' | 'posting.expired'>): Promise<void> {
    const events: PostingEvent[] = [];
    for (const { event } of batch) {
      if (event.type === 'posting.published' || event.type === 'posting.updated' || event.type === 'posting.closed' || event.type === 'posting.expired') events.push(event);
    }
    if (events.length === 0) return;
    await this.ensureIndex();
    const companyIds = [...new Set(events.map((e) => e.data.companyId))];
    const before = await this.companyNames(companyIds);
    const { ids, lines } = postingLines(this.index.name, events, before);
    const refused = await this.write(lines, ids);
    // A company renamed while this batch was in flight may have updated its postings before we
    // wrote them with the old name: read the names again and bring ours up to date by id. (A rename
    // after this read refreshes the index first, so its update by query sees what we wrote.)
    const after = await this.companyNames(companyIds);
    const sync: BulkLine[] = [];
    for (const [companyId, name] of after) {
      if (before.get(companyId)?.version === name.version) continue;
      sync.push(...nameSyncLines(this.index.name, events.filter((e) => e.data.companyId === companyId).map((e) => e.data.postingId), name));
    }
    if (sync.length > 0) await this.write(sync, []);
    this.refreshAfterPostings.request();
    this.failOn(refused, eventIdsBy(events, (e) => e.data.postingId));
  }

  @OnEvents(['posting-stats.updated'], { group: SEARCH_STATS_PROJECTION })
  async projectStats(batch: EventBatch<'posting-stats.updated'>): Promise<void> {
    const stats: EventEnvelope<'posting-stats.updated'>[] = [];
    for (const { event } of batch) if (event.type === 'posting-stats.updated') stats.push(event);
    if (stats.length === 0) return;
    await this.ensureIndex();
    const lines = statsLines(this.index.name, stats);
    this.failOn(await this.write(lines, bulkIds(lines)), eventIdsBy(stats, (e) => e.data.postingId));
  }

  @OnEvents(['company.upserted'], { group: SEARCH_PROJECTION })
  async projectCompanies(batch: EventBatch<'company.upserted'>): Promise<void> {
    const upserts: EventEnvelope<'company.upserted'>[] = [];
    for (const { event } of batch) if (event.type === 'company.upserted') upserts.push(event);
    if (upserts.length === 0) return;
    await this.ensureIndex();
    const { names, lines } = companyLines(this.index.name, upserts);
    const refused = await this.write(lines, [...names.keys()].map(companyDocId));
    // Postings written before this point are made visible to the search for them below.
    await this.index.refresh();
    const refusedIds = new Set(refused.map((r) => r.id));
    const renamed = new Map([...names].filter(([companyId]) => !refusedIds.has(companyDocId(companyId))));
    const byCompany = eventIdsBy(upserts, (e) => companyDocId(e.data.companyId));
    refused.push(...(await this.renamePostings(renamed)).map((r) => ({ id: companyDocId(r.companyId), reason: `posting ${r.id}: ${r.reason}` })));
    this.failOn(refused, byCompany);
  }

  @OnEvents(['company-insights.updated'], { group: SEARCH_PROJECTION })
  async projectInsights(batch: EventBatch<'company-insights.updated'>): Promise<void> {
    const insights = batch.map(({ event }) => event);
    if (insights.length === 0) return;
    await this.ensureIndex();
    const lines = insightsLines(this.index.name, insights);
    this.failOn(await this.write(lines, bulkIds(lines)), eventIdsBy(insights, (e) => companyDocId(e.data.companyId)));
  }

  /**
   * Brings every posting of these companies up to their newest names: finds those with another name
   * version (the index was refreshed first, so every posting written so far is found) and updates
   * them by id with the versioned script, in one search per page for the whole batch of companies.
   * (Update by query lives in OpenSearch's reindex module, which a minimal node doesn't have; this
   * is the same thing in pages.) Returns the postings the engine refused, with their company.
   */
  private async renamePostings(names: ReadonlyMap<string, CompanyName>): Promise<{ id: string; companyId: string; reason: string }[]> {
    const refused: { id: string; companyId: string; reason: string }[] = [];
    const companies = [...names];
    for (let start = 0; start < companies.length; start += RENAME_COMPANIES_PER_SEARCH) {
      const chunk = companies.slice(start, start + RENAME_COMPANIES_PER_SEARCH);
      const stale = chunk.map(([companyId, name]) => ({ bool: { filter: [{ term: { companyId } }], must_not: [{ term: { companyVersion: name.version } }] } }));
      let after: (string | number)[] | undefined;
      for (;;) {
        const { body } = await this.os.call<{ hits: { hits: { _id: string; _source?: { companyId?: string }; sort: (string | number)[] }[] } }>('POST', `/${this.index.name}/_search`, {
          size: 1000,
          _source: ['companyId'],
          query: { bool: { filter: [{ term: { kind: 'posting' } }, { bool: { should: stale, minimum_should_match: 1 } }] } },
          sort: [{ postingId: 'asc' }],
          ...(after ? { search_after: after } : {}),
        });
        const hits = body.hits.hits;
        if (hits.length === 0) break;
        const lines: BulkLine[] = [];
        const ids: string[] = [];
        const companyOf = new Map<string, string>();
        for (const hit of hits) {
          const companyId = hit._source?.companyId;
          const name = companyId === undefined ? undefined : names.get(companyId);
          if (companyId === undefined || !name) continue;
          lines.push(...nameSyncLines(this.index.name, [hit._id], name));
          ids.push(hit._id);
          companyOf.set(hit._id, companyId);
        }
        for (const r of await this.write(lines, ids)) refused.push({ ...r, companyId: companyOf.get(r.id) ?? '' });
        after = hits[hits.length - 1].sort;
      }
    }
    return refused;
  }

  private async companyNames(companyIds: readonly string[]): Promise<Map<string, CompanyName>> {
    if (companyIds.length === 0) return new Map();
    const { body } = await this.os.call<{ docs: { _id: string; found: boolean; _source?: { companyName?: string; companyVersion?: string } }[] }>(
      'POST',
      `/${this.index.name}/_mget`,
      { ids: companyIds.map(companyDocId) },
      { querystring: { _source_includes: 'companyName,companyVersion' } },
    );
    const names = new Map<string, CompanyName>();
    body.docs.forEach((d, i) => {
      if (d.found && d._source?.companyName && d._source.companyVersion) names.set(companyIds[i], { name: d._source.companyName, version: d._source.companyVersion });
    });
    return names;
  }

  /**
   * One bulk request; returns the documents the engine refused (with why). Items to retry (load
   * shedding, conflicts that outlasted retry_on_conflict) fail the whole batch as transient: the
   * versioned scripts make the retry of the items that did succeed a no-op.
   */
  private async write(lines: readonly BulkLine[], ids: readonly string[]): Promise<{ id: string; reason: string }[]> {
    if (lines.length === 0) return [];
    const answer = await this.os.bulk<BulkAnswer>('/_bulk', lines);
    if (!answer.errors) return [];
    const refused: { id: string; reason: string }[] = [];
    answer.items.forEach((entry, i) => {
      const item = Object.values(entry)[0];
      const outcome = itemOutcome(item);
      if (outcome === 'retry') throw new SearchUnavailableError(`OpenSearch could not apply ${ids[i] ?? 'a document'} now (${item.status} ${item.error?.type ?? ''})`);
      if (outcome === 'refused') {
        const cause = item.error?.caused_by ?? item.error;
        refused.push({ id: ids[i] ?? `#${i}`, reason: `${cause?.type ?? 'refused'}: ${cause?.reason ?? ''}` });
      }
    });
    return refused;
  }

  /**
   * The engine refused documents: this is the events' fault, so they go to the dead-letter topic.
   * The error names the events behind the refused documents, so the consumer tries only those
   * alone (the rest of the slice is applied again, a no-op for what this batch already wrote).
   */
  private failOn(refused: readonly { id: string; reason: string }[], eventIdsOf: ReadonlyMap<string, readonly string[]>): void {
    if (refused.length === 0) return;
    const faulty = refused.map((r) => eventIdsOf.get(r.id));
    const eventIds = faulty.every((ids) => ids !== undefined) ? faulty.flat() : undefined;
    throw new PermanentEventError(`OpenSearch refused ${refused.map((r) => `${r.id} (${r.reason})`).join('; ')}`.slice(0, 2000), eventIds ? { eventIds } : {});
  }

  /** Moves the alias to this build once it has caught up (a first build takes it at once); never back to an older build. */
  async maybeSwitchAlias(): Promise<'switched' | 'current' | 'waiting' | 'older'> {
    if (this.switching) return 'waiting';
    this.switching = true;
    try {
      await this.ensureIndex();
      const { current } = await this.index.aliasState();
      if (current.length === 1 && current[0] === this.index.name) return this.done('current');
      if (current.length > 0) {
        const ours = await this.index.creationDate(this.index.name);
        const theirs = Math.max(...(await Promise.all(current.filter((i) => i !== this.index.name).map((i) => this.index.creationDate(i)))));
        if (ours < theirs) {
          this.logger.warn({ alias: this.index.alias, current, build: this.index.name }, 'a newer search build owns the alias; this build keeps indexing but never takes it back');
          return this.done('older');
        }
        const lag = await this.groupLag();
        if (lag > SWITCH_MAX_LAG) return 'waiting';
        await this.index.refresh();
      }
      await this.index.switchAlias(current);
      this.logger.info({ alias: this.index.alias, index: this.index.name, previous: current }, 'search alias switched to this build');
      return this.done('switched');
    } catch (err) {
      this.logger.debug({ err }, 'search alias check failed; retrying');
      return 'waiting';
    } finally {
      this.switching = false;
    }
  }

  private done<T>(result: T): T {
    clearInterval(this.switchTimer);
    return result;
  }

  /** Events of the search topics this build's groups have not committed yet. */
  async groupLag(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      let lag = 0;
      for (const projection of SEARCH_PROJECTIONS) {
        const topics = topicsOf(projection);
        const committed = await admin.fetchOffsets({ groupId: this.groupIdOf(projection), topics });
        for (const topic of topics) {
          const at = committed.find((c) => c.topic === topic)?.partitions ?? [];
          for (const p of await admin.fetchTopicOffsets(topic)) {
            const from = Number(at.find((c) => c.partition === p.partition)?.offset ?? '-1');
            lag += Math.max(0, Number(p.high) - (from >= 0 ? from : Number(p.low)));
          }
        }
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }
}
