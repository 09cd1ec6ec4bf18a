import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { PostingSnapshot, PostingStatsUpdated } from '@jobstream/contracts';

/**
 * The posting read model: the latest snapshot (by revision), the company name for search, and the
 * latest counters (by their snapshot time). Search uses plain indexed arrays of tokens, not a text
 * index, so it runs on FerretDB as on MongoDB.
 */
@Schema({ collection: 'postings', versionKey: false, strict: 'throw', minimize: false })
export class Posting {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The public snapshot, exactly as published (no hiring team: it never reaches this topic). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  snapshot?: PostingSnapshot;

  @Prop() revision?: number;
  @Prop() companyId?: string;
  @Prop() status?: string;
  @Prop() postedAt?: Date;
  @Prop() updatedAt?: Date;
  @Prop() locationKey?: string;
  @Prop() workplaceType?: string;
  @Prop() employmentType?: string;
  @Prop({ type: [String] }) skillKeys?: string[];
  /** Title and skill tokens; company tokens are added to form searchTokens. */
  @Prop({ type: [String] }) baseTokens?: string[];
  @Prop({ type: [String] }) searchTokens?: string[];
  @Prop() companyName?: string;
  /** Version (lastEventId) of the company profile companyName comes from: an older one never overwrites a newer. */
  @Prop() companyVersion?: string;

  @Prop({ type: MongooseSchema.Types.Mixed })
  stats?: Omit<PostingStatsUpdated, 'postingId' | 'companyId'>;

  @Prop() statsUpdatedAt?: Date;
  @Prop({ default: 0 }) trendingScore?: number;
}

export const PostingSchema = SchemaFactory.createForClass(Posting);
PostingSchema.index({ status: 1, postedAt: -1, _id: -1 });
PostingSchema.index({ status: 1, trendingScore: -1, postedAt: -1, _id: -1 });
PostingSchema.index({ searchTokens: 1 });
PostingSchema.index({ skillKeys: 1 });
PostingSchema.index({ companyId: 1, status: 1 });
PostingSchema.index({ locationKey: 1 });
