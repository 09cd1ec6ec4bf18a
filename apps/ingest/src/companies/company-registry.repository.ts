import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppliedCompany } from '@jobstream/contracts';
import { REDIS } from '@jobstream/platform/redis.module';
import { REGISTRY_PREFIX } from '../postings/posting-registry.repository';

/** What an application needs of its company, as of the last acknowledged company.upserted. */
export type CompanyRecord = AppliedCompany;

// Newer profiles only: event ids are UUIDv7, so a later id is a later profile (as listings orders them).
const RECORD = `
local current = redis.call('HGET', KEYS[1], 'version')
if current and current >= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'profile', ARGV[2])
return 1`;

/**
 * The company profiles ingest has acknowledged: an application carries its company's group and
 * policy from here, so its decision never waits for, or depends on, a projection.
 */
@Injectable()
export class CompanyRegistryRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REGISTRY_PREFIX) private readonly prefix: string,
  ) {}

  private key = (companyId: string) => `${this.prefix}company:${companyId}`;

  /** Records a published profile unless a newer one is recorded already. */
  async record(companyId: string, company: CompanyRecord): Promise<void> {
    const { version, ...profile } = company;
    await this.redis.eval(RECORD, 1, this.key(companyId), version, JSON.stringify(profile));
  }

  async findById(companyId: string): Promise<CompanyRecord | null> {
    const [version, profile] = await this.redis.hmget(this.key(companyId), 'version', 'profile');
    if (!version || !profile) return null;
    return { version, ...(JSON.parse(profile) as Omit<CompanyRecord, 'version'>) };
  }
}
