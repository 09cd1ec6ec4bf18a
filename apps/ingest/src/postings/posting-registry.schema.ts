import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { PostingState } from './posting-lifecycle.util';

/** A write that was reserved but not yet confirmed as published: re-published by the next writer. */
export interface PendingWrite {
  revision: number;
  /** The serialized events to (re)publish, with their fixed ids so a re-publish is a duplicate, not a new event. */
  events: string[];
  state: PostingState;
  at: Date;
}

/**
 * The command side's record of a posting: its committed state and revision, plus at most one
 * pending write. Ingest uses it to hand ATS retries the same id, to number revisions and to refuse
 * invalid transitions; the read side never reads it.
 */
@Schema({ collection: 'posting_registry', versionKey: false, strict: 'throw' })
export class PostingRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  companyId!: string;

  @Prop({ required: true })
  externalId!: string;

  /** 0 until the creating write is confirmed. */
  @Prop({ required: true })
  revision!: number;

  @Prop({ type: MongooseSchema.Types.Mixed })
  state?: PostingState;

  @Prop({ type: String })
  status?: string;

  @Prop({ type: Date })
  expiresAt?: Date;

  @Prop({ type: MongooseSchema.Types.Mixed })
  pending?: PendingWrite;
}

export const PostingRecordSchema = SchemaFactory.createForClass(PostingRecord);
PostingRecordSchema.index({ companyId: 1, externalId: 1 }, { unique: true });
PostingRecordSchema.index({ status: 1, expiresAt: 1 });
