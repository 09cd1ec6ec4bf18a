import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';
import type { Static } from '@sinclair/typebox';
import type { InterviewSummary, ReviewSummary, SalarySummary } from '@jobstream/contracts';
import type { EventEnvelope } from '@jobstream/contracts';
import {
  Collections,
  type InsightsDoc,
  type InterviewStatsDoc,
  type ReviewDoc,
  type ReviewStatsDoc,
  type SalaryGroupDoc,
} from './contribution.schema';
import { DOCUMENT_WRITES, type DocumentWrites } from '@jobstream/platform/document-store';
import { RATING_FIELDS, interviewSummary, reviewSummary, salaryFigures, totalCompensation, type RatingField } from './insights.util';

export type SalarySummaryView = Static<typeof SalarySummary>;
export type ReviewSummaryView = Static<typeof ReviewSummary>;
export type InterviewSummaryView = Static<typeof InterviewSummary>;
export interface CompanyInsightsView {
  companyId: string;
  salaries: SalarySummaryView;
  reviews: ReviewSummaryView;
  interviews: InterviewSummaryView;
  updatedAt: Date | null;
}


const groupId = (companyId: string, level: string, title: string, currency: string) => JSON.stringify([companyId, level, title, currency]);

export const emptyInsights = (companyId: string): CompanyInsightsView => ({
  companyId,
  salaries: { dataPoints: 0, byRole: [] },
  reviews: reviewSummary({ count: 0, sums: { overall: 0, workLifeBalance: 0, compensation: 0, culture: 0, career: 0, management: 0 }, recommended: 0 }),
  interviews: interviewSummary({ count: 0, difficultySum: 0, durations: [], experience: { positive: 0, neutral: 0, negative: 0 }, steps: [], questions: [] }),
  updatedAt: null,
});

@Injectable()
export class ContributionsRepository implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(DOCUMENT_WRITES) private readonly writes: DocumentWrites,
  ) {}

  /** An unordered bulk write of idempotent operations; a duplicate key means "already there". */
  private bulkIgnoringDuplicates<T extends mongo.Document>(collection: mongo.Collection<T>, ops: mongo.AnyBulkWriteOperation<T>[]): Promise<void> {
    return this.writes.bulkWriteSkippingDuplicates((pending) => collection.bulkWrite(pending, { ordered: false }), ops);
  }

  private collection<T extends mongo.Document>(name: string): mongo.Collection<T> {
    const db = this.connection.db;
    if (!db) throw Object.assign(new Error('MongoDB is not connected'), { name: 'MongoNotConnectedError' });
    return db.collection<T>(name);
  }

  async onModuleInit(): Promise<void> {
    await this.collection<SalaryGroupDoc>(Collections.salaryGroups).createIndex({ companyId: 1 });
    await this.collection<ReviewDoc>(Collections.reviews).createIndex({ companyId: 1, eventId: -1 });
  }

  /** Creates missing group documents; races with another writer are harmless (same _id, same identity). */
  private async ensure<T extends { _id: string }>(name: string, docs: Map<string, Omit<T, '_id'>>): Promise<void> {
    const collection = this.collection<T>(name);
    const ops = [...docs].map(
      ([_id, identity]) =>
        ({ updateOne: { filter: { _id }, update: { $setOnInsert: identity }, upsert: true } }) as unknown as mongo.AnyBulkWriteOperation<T>,
    );
    await this.bulkIgnoringDuplicates(collection, ops);
  }

  /** Applies salary reports exactly once each (guarded by report id inside the group document). */
  async applySalaries(events: readonly EventEnvelope<'salary.reported'>[]): Promise<void> {
    if (events.length === 0) return;
    const groups = new Map<string, Omit<SalaryGroupDoc, '_id'>>();
    const ops: mongo.AnyBulkWriteOperation<SalaryGroupDoc>[] = [];
    for (const { data } of events) {
      const _id = groupId(data.companyId, data.level, data.title, data.currency);
      groups.set(_id, { companyId: data.companyId, level: data.level, title: data.title, currency: data.currency });
      const push: Record<string, unknown> = { reportIds: data.reportId, totals: totalCompensation(data), bases: data.baseSalary };
      if (data.stockPerYear !== undefined) push.stocks = data.stockPerYear;
      if (data.bonus !== undefined) push.bonuses = data.bonus;
      ops.push({ updateOne: { filter: { _id, reportIds: { $ne: data.reportId } }, update: { $push: push, $inc: { count: 1 } } } });
    }
    await this.ensure<SalaryGroupDoc>(Collections.salaryGroups, groups);
    await this.bulkIgnoringDuplicates(this.collection<SalaryGroupDoc>(Collections.salaryGroups), ops);
  }

  async applyReviews(events: readonly EventEnvelope<'review.submitted'>[]): Promise<void> {
    if (events.length === 0) return;
    const companies = new Map<string, Omit<ReviewStatsDoc, '_id'>>();
    const ops: mongo.AnyBulkWriteOperation<ReviewStatsDoc>[] = [];
    const reviews: mongo.AnyBulkWriteOperation<ReviewDoc>[] = [];
    for (const { id, occurredAt, data } of events) {
      companies.set(data.companyId, {});
      const inc: Record<string, number> = { count: 1, recommended: data.recommendToFriend ? 1 : 0 };
      for (const f of RATING_FIELDS) inc[`sums.${f}`] = data[f];
      ops.push({ updateOne: { filter: { _id: data.companyId, reviewIds: { $ne: data.reviewId } }, update: { $push: { reviewIds: data.reviewId }, $inc: inc } } });
      const { reviewId, companyId, ...fields } = data;
      reviews.push({ insertOne: { document: { _id: reviewId, companyId, eventId: id, submittedAt: new Date(occurredAt), ...fields } } });
    }
    await this.ensure<ReviewStatsDoc>(Collections.reviewStats, companies);
    await this.bulkIgnoringDuplicates(this.collection<ReviewStatsDoc>(Collections.reviewStats), ops);
    await this.bulkIgnoringDuplicates(this.collection<ReviewDoc>(Collections.reviews), reviews);
  }

  async applyInterviews(events: readonly EventEnvelope<'interview.reported'>[]): Promise<void> {
    if (events.length === 0) return;
    const companies = new Map<string, Omit<InterviewStatsDoc, '_id'>>();
    const ops: mongo.AnyBulkWriteOperation<InterviewStatsDoc>[] = [];
    for (const { data } of events) {
      companies.set(data.companyId, {});
      const push: Record<string, unknown> = { reportIds: data.reportId, durations: data.durationWeeks };
      // A step named twice in one report is one occurrence of it in that process.
      const steps = [...new Set(data.steps)];
      const questions = [...new Set(data.questionCategories)];
      if (steps.length > 0) push.steps = { $each: steps };
      if (questions.length > 0) push.questions = { $each: questions };
      ops.push({
        updateOne: {
          filter: { _id: data.companyId, reportIds: { $ne: data.reportId } },
          update: { $push: push, $inc: { count: 1, difficultySum: data.difficulty, [`experience.${data.experience}`]: 1 } },
        },
      });
    }
    await this.ensure<InterviewStatsDoc>(Collections.interviewStats, companies);
    await this.bulkIgnoringDuplicates(this.collection<InterviewStatsDoc>(Collections.interviewStats), ops);
  }

  /** Recomputes a company's summaries from its stored raw values and stores them for readers. */
  async recompute(companyId: string): Promise<CompanyInsightsView> {
    const [groups, reviewStats, interviewStats] = await Promise.all([
      this.collection<SalaryGroupDoc>(Collections.salaryGroups).find({ companyId }).toArray(),
      this.collection<ReviewStatsDoc>(Collections.reviewStats).findOne({ _id: companyId }),
      this.collection<InterviewStatsDoc>(Collections.interviewStats).findOne({ _id: companyId }),
    ]);
    const view: CompanyInsightsView = {
      companyId,
      salaries: salarySummary(groups),
      reviews: reviewSummary({
        count: reviewStats?.count ?? 0,
        recommended: reviewStats?.recommended ?? 0,
        sums: Object.fromEntries(RATING_FIELDS.map((f) => [f, reviewStats?.sums?.[f] ?? 0])) as Record<RatingField, number>,
      }),
      interviews: interviewSummary({
        count: interviewStats?.count ?? 0,
        difficultySum: interviewStats?.difficultySum ?? 0,
        durations: interviewStats?.durations ?? [],
        experience: {
          positive: interviewStats?.experience?.positive ?? 0,
          neutral: interviewStats?.experience?.neutral ?? 0,
          negative: interviewStats?.experience?.negative ?? 0,
        },
        steps: interviewStats?.steps ?? [],
        questions: interviewStats?.questions ?? [],
      }),
      updatedAt: new Date(),
    };
    const { salaries, reviews, interviews } = view;
    await this.collection<InsightsDoc>(Collections.insights).updateOne({ _id: companyId }, { $set: { salaries, reviews, interviews, updatedAt: new Date() } }, { upsert: true });
    return view;
  }

  async insightsOf(companyIds: readonly string[]): Promise<CompanyInsightsView[]> {
    const docs = await this.collection<InsightsDoc>(Collections.insights).find({ _id: { $in: [...companyIds] } }).toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return companyIds.map((companyId) => {
      const doc = byId.get(companyId);
      if (!doc) return emptyInsights(companyId);
      return {
        companyId,
        salaries: doc.salaries as SalarySummaryView,
        reviews: doc.reviews as ReviewSummaryView,
        interviews: doc.interviews as InterviewSummaryView,
        updatedAt: doc.updatedAt,
      };
    });
  }

  /** Latest reviews first; the cursor is the event id of the last review of the previous page. */
  async latestReviews(companyId: string, limit: number, cursor?: string): Promise<{ reviews: Omit<ReviewDoc, '_id' | 'eventId'>[]; nextCursor: string | null }> {
    const filter: mongo.Filter<ReviewDoc> = cursor ? { companyId, eventId: { $lt: cursor } } : { companyId };
    const docs = await this.collection<ReviewDoc>(Collections.reviews).find(filter).sort({ eventId: -1 }).limit(limit + 1).toArray();
    const page = docs.slice(0, limit);
    return {
      reviews: page.map(({ _id, eventId: _eventId, ...rest }) => ({ reviewId: _id, ...rest })),
      nextCursor: docs.length > limit ? page[page.length - 1].eventId : null,
    };
  }
}

/** Per (level, title, currency), and company-wide in the company's most reported currency. */
export function salarySummary(groups: readonly SalaryGroupDoc[]): SalarySummaryView {
  const values = (g: SalaryGroupDoc) => ({ totals: g.totals ?? [], bases: g.bases ?? [], stocks: g.stocks ?? [], bonuses: g.bonuses ?? [] });
  const byRole = groups
    .filter((g) => (g.count ?? 0) > 0)
    .map((g) => ({ level: g.level, title: g.title, currency: g.currency, ...salaryFigures(values(g)) }))
    .sort((a, b) => b.reports - a.reports || a.level.localeCompare(b.level) || a.title.localeCompare(b.title) || a.currency.localeCompare(b.currency));
  const dataPoints = byRole.reduce((sum, r) => sum + r.reports, 0);
  if (dataPoints === 0) return { dataPoints: 0, byRole: [] };
  const perCurrency = new Map<string, number>();
  for (const r of byRole) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0) + r.reports);
  const currency = [...perCurrency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  const same = groups.filter((g) => g.currency === currency).map(values);
  const overall = {
    level: 'all',
    title: 'all',
    currency,
    ...salaryFigures({
      totals: same.flatMap((v) => v.totals),
      bases: same.flatMap((v) => v.bases),
      stocks: same.flatMap((v) => v.stocks),
      bonuses: same.flatMap((v) => v.bonuses),
    }),
  };
  return { dataPoints, overall, byRole };
}
