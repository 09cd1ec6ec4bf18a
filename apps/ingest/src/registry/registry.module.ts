import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PostingRegistryRepository, REGISTRY_PREFIX } from '../postings/posting-registry.repository';
import { CompanyRegistryRepository } from '../companies/company-registry.repository';

/** Ingest's command-side state in Redis: postings (lifecycle, revisions) and company profiles. */
@Global()
@Module({})
export class RegistryModule {
  static forRoot(config: { INGEST_REGISTRY_PREFIX: string }): DynamicModule {
    return {
      module: RegistryModule,
      providers: [PostingRegistryRepository, CompanyRegistryRepository, { provide: REGISTRY_PREFIX, useValue: config.INGEST_REGISTRY_PREFIX }],
      exports: [PostingRegistryRepository, CompanyRegistryRepository, REGISTRY_PREFIX],
    };
  }
}
