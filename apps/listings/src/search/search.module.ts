import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { OpenSearchGateway } from './opensearch.gateway';
import { PageReader } from './page.reader';
import { SearchIndex } from './search-index';
import { SearchProjection } from './search.projection';
import { SearchRateLimitGuard } from './search-rate-limit.guard';
import { SearchService } from './search.service';
import { OPENSEARCH, SEARCH_INDEX } from './search.tokens';
import type { ConfigOf } from '@jobstream/platform/config';
import type { SearchConfigSpec } from './search.config';

@Injectable()
class OpenSearchCloser implements OnApplicationShutdown {
  constructor(@Inject(OPENSEARCH) private readonly os: OpenSearchGateway) {}

  /** After the consumers drained (they close first, in beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.os.close();
  }
}

/** Search on OpenSearch: the projection (own consumer group), the index and alias, and the read side (search and pages). */
@Global()
@Module({})
export class SearchModule {
  static forRoot(config: ConfigOf<typeof SearchConfigSpec>): DynamicModule {
    return {
      module: SearchModule,
      providers: [
        { provide: OPENSEARCH, useFactory: () => OpenSearchGateway.create(config.OPENSEARCH_URL, config.SEARCH_TIMEOUT_MS, config.SEARCH_REQUEST_MAX_SEARCHES) },
        { provide: SEARCH_INDEX, inject: [OPENSEARCH], useFactory: (os: OpenSearchGateway) => new SearchIndex(os, config.SEARCH_INDEX, config.SEARCH_BUILD, config.SEARCH_REFRESH_INTERVAL) },
        SearchService,
        { provide: PageReader, inject: [OPENSEARCH, SEARCH_INDEX], useFactory: (os: OpenSearchGateway, index: SearchIndex) => new PageReader(os, index, config.PAGE_COMPANY_CACHE_MS) },
        SearchRateLimitGuard,
        OpenSearchCloser,
      ],
      controllers: [SearchProjection],
      exports: [OPENSEARCH, SEARCH_INDEX, SearchService, PageReader, SearchRateLimitGuard],
    };
  }
}
