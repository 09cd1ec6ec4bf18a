import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { ApplicationPolicy } from '@jobstream/contracts';

/** The company store of record (profiles only: summaries live in the search index with the page). `_id` is the company id; `lastEventId` orders updates (UUIDv7 sorts by time). */
@Schema({ collection: 'companies', versionKey: false, strict: 'throw' })
export class Company {
  @Prop({ type: String, required: true })
  _id!: string;

  /** Absent while only insights have arrived for a company whose profile has not. */
  @Prop()
  name?: string;

  @Prop() description?: string;
  @Prop() stage?: string;
  @Prop() employeeRange?: string;
  @Prop() headquarters?: string;
  @Prop() valuationUsd?: number;

  @Prop({ type: MongooseSchema.Types.Mixed })
  group?: { id: string; name: string };

  @Prop({ type: MongooseSchema.Types.Mixed })
  applicationPolicy?: ApplicationPolicy;

  @Prop({ index: true })
  lastEventId?: string;

  @Prop()
  updatedAt?: Date;
}

export const CompanySchema = SchemaFactory.createForClass(Company);
