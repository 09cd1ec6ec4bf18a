import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { Applicant } from '@jobstream/contracts';
import type { RejectionReason } from './application-decision.util';

/** A later submission of the same candidate to the same posting: the same application, its own receipt. */
export interface ApplicationAlias {
  applicationId: string;
  receiptTokenHash: string;
}

/**
 * An application and its decision. Listings owns it: it is the source of truth for application
 * limits (not a rebuildable projection). `_id` is the applicationId; (candidateId, postingId) is unique.
 */
@Schema({ collection: 'applications', versionKey: false, strict: 'throw' })
export class Application {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  candidateId!: string;

  @Prop({ required: true })
  postingId!: string;

  /** Company and group of the posting when decided: what the limit is counted by. */
  @Prop() companyId?: string;
  @Prop() groupId?: string;
  @Prop() postingTitle?: string;
  @Prop() companyName?: string;

  /** What the decision was made on: ingest's registry facts carried by the event, or the projection. */
  @Prop({ type: String })
  basis?: 'registry' | 'projection';
  /** The posting revision and company profile version the registry had when the candidate applied. */
  @Prop() postingRevision?: number;
  @Prop() companyVersion?: string;

  @Prop({ type: String, required: true })
  status!: 'accepted' | 'rejected';

  @Prop({ type: String })
  reason?: RejectionReason;

  @Prop() detail?: string;

  @Prop({ required: true })
  receiptTokenHash!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  applicant!: Applicant;

  @Prop({ required: true })
  submittedAt!: string;

  @Prop({ required: true })
  decidedAt!: string;

  /** Deterministic id of the outcome event, so a re-publish after a crash is deduplicated downstream. */
  @Prop({ required: true })
  outcomeEventId!: string;

  /** False until the outcome event was acknowledged by Kafka; unpublished outcomes are re-published. */
  @Prop({ required: true })
  published!: boolean;

  @Prop({ type: [String], default: [] })
  aliasIds!: string[];

  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] })
  aliases!: ApplicationAlias[];
}

export const ApplicationSchema = SchemaFactory.createForClass(Application);
ApplicationSchema.index({ candidateId: 1, postingId: 1 }, { unique: true, name: 'candidate_posting_unique' });
ApplicationSchema.index({ candidateId: 1, status: 1 }, { name: 'candidate_status' });
ApplicationSchema.index({ aliasIds: 1 }, { name: 'alias_ids' });
