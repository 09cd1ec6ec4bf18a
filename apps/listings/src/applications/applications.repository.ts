import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { LimitScope } from './application-decision.util';
import { Application, type ApplicationAlias } from './application.schema';

export type ApplicationRecord = Application;

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

@Injectable()
export class ApplicationsRepository implements OnModuleInit {
  constructor(@InjectModel(Application.name) private readonly applications: Model<Application>) {}

  /** The unique (candidateId, postingId) index must exist before the first decision relies on it. */
  async onModuleInit(): Promise<void> {
    await this.applications.createIndexes();
  }

  /** By its own id or by the id of a later duplicate submission. */
  async findByApplicationId(applicationId: string): Promise<ApplicationRecord | null> {
    return (
      (await this.applications.findById(applicationId).lean<Application>().exec()) ??
      (await this.applications.findOne({ aliasIds: applicationId }).lean<Application>().exec())
    );
  }

  /** Every stored decision, in chunks (one pass over the collection: for rebuilding a view, never per request). */
  async *allDecided(chunkSize: number): AsyncGenerator<ApplicationRecord[]> {
    let chunk: ApplicationRecord[] = [];
    for await (const record of this.applications.find({}).lean<Application>().cursor({ batchSize: chunkSize })) {
      chunk.push(record);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  findByCandidateAndPosting(candidateId: string, postingId: string): Promise<ApplicationRecord | null> {
    return this.applications.findOne({ candidateId, postingId }).lean<Application>().exec();
  }

  /** The candidate's accepted applications within the scope of a limit. */
  countAccepted(candidateId: string, scope: LimitScope): Promise<number> {
    return this.applications.countDocuments({ candidateId, status: 'accepted', [scope.field]: scope.value }).exec();
  }

  /** Stores a decision; 'duplicate' when the application (or the same candidate+posting) is already stored. */
  async insert(record: ApplicationRecord): Promise<'inserted' | 'duplicate'> {
    try {
      await this.applications.create([record]);
      return 'inserted';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async addAlias(applicationId: string, alias: ApplicationAlias): Promise<void> {
    await this.applications
      .updateOne({ _id: applicationId, aliasIds: { $ne: alias.applicationId } }, { $push: { aliasIds: alias.applicationId, aliases: alias } })
      .exec();
  }

  async markPublished(applicationIds: readonly string[]): Promise<void> {
    if (applicationIds.length === 0) return;
    await this.applications.updateMany({ _id: { $in: [...applicationIds] } }, { $set: { published: true } }).exec();
  }
}
