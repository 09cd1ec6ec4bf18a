import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { PostingSnapshot } from '@jobstream/contracts';

/**
 * The posting store of record: the latest snapshot by revision, written by the postings topic
 * alone. Search, counters and the posting page are served by the search index.
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
}

export const PostingSchema = SchemaFactory.createForClass(Posting);
PostingSchema.index({ companyId: 1, status: 1 });
