import type { OpenSearchGateway } from './opensearch.gateway';
import { STOP_WORDS } from './search.query';

/**
 * One index holds postings and, as `kind: company` documents, their companies (the name postings
 * denormalize, the profile and the analytics summaries); both are rebuilt together, searches filter
 * on kind, and the posting and company pages are read from it by id.
 * Snapshot, counters, profile and summaries are stored for display only (not indexed).
 */
export function indexDefinition(refreshInterval: string): Record<string, unknown> {
  const keyword = { type: 'keyword' };
  // Each text field also has an unstemmed `exact` form: typo tolerance compares what was typed with
  // the words as written ("analitycs" is 2 edits from "analytics" but 3 from its stem "analyt").
  const text = (fields: Record<string, unknown> = {}) => ({ type: 'text', analyzer: 'posting_text', fields: { exact: { type: 'text', analyzer: 'posting_exact' }, ...fields } });
  return {
    settings: {
      number_of_shards: 1,
      // 0 replicas on one node, 1 as soon as the cluster has a second node.
      auto_expand_replicas: '0-1',
      refresh_interval: refreshInterval,
      // BM25 is the default similarity.
      analysis: {
        analyzer: {
          posting_exact: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
          // Stemmed English with accents folded: "Engineers" finds "engineer", "Sao" finds "São".
          posting_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'english_possessive', 'english_stop', 'english_stemmer'] },
        },
        filter: {
          english_possessive: { type: 'stemmer', language: 'possessive_english' },
          // Lucene's English set, spelled out: queries match these words on the unstemmed fields (textClauses).
          english_stop: { type: 'stop', stopwords: [...STOP_WORDS] },
          english_stemmer: { type: 'stemmer', language: 'english' },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        kind: keyword,
        postingId: keyword,
        companyId: keyword,
        companyName: text({ raw: { type: 'keyword', ignore_above: 256 } }),
        companyVersion: keyword,
        status: keyword,
        revision: { type: 'long' },
        title: text(),
        description: text(),
        skills: text({ raw: { type: 'keyword', ignore_above: 256 } }),
        skillKeys: keyword,
        location: { type: 'keyword', ignore_above: 256 },
        locationKey: keyword,
        workplaceType: keyword,
        employmentType: keyword,
        postedAt: { type: 'date' },
        updatedAt: { type: 'date' },
        // Whole currency units: salary filters compare integers.
        payMin: { type: 'long' },
        payMax: { type: 'long' },
        trendingScore: { type: 'double' },
        statsUpdatedAt: { type: 'long' },
        stats: { type: 'object', enabled: false },
        snapshot: { type: 'object', enabled: false },
        profile: { type: 'object', enabled: false },
        insights: { type: 'object', enabled: false },
        insightsUpdatedAt: { type: 'long' },
      },
    },
  };
}

interface AliasAnswer {
  [index: string]: { aliases: Record<string, unknown> };
}

export interface AliasState {
  /** Indices the alias points to now (normally one). */
  current: string[];
}

/** Index names, alias moves and start-up of one build of the search index. */
export class SearchIndex {
  constructor(
    private readonly os: OpenSearchGateway,
    readonly alias: string,
    readonly build: string,
    private readonly refreshInterval: string,
  ) {}

  /** The concrete index this build writes. */
  get name(): string {
    return `${this.alias}-${this.build}`;
  }

  /** Creates this build's index if it doesn't exist yet (another replica may race us: both fine). */
  async ensure(): Promise<void> {
    const { status } = await this.os.call('HEAD', `/${this.name}`, undefined, { ignore: [404] });
    if (status === 200) {
      // An index created under an older default keeps its interval otherwise: the setting is dynamic.
      await this.os.call('PUT', `/${this.name}/_settings`, { index: { refresh_interval: this.refreshInterval } });
      return;
    }
    const created = await this.os.call<{ error?: { type?: string } }>('PUT', `/${this.name}`, indexDefinition(this.refreshInterval), { ignore: [400] });
    if (created.status === 400 && created.body.error?.type !== 'resource_already_exists_exception') {
      throw new Error(`could not create search index ${this.name}: ${JSON.stringify(created.body.error)}`);
    }
  }

  async aliasState(): Promise<AliasState> {
    const { status, body } = await this.os.call<AliasAnswer>('GET', `/_alias/${this.alias}`, undefined, { ignore: [404] });
    return { current: status === 404 ? [] : Object.keys(body).filter((k) => body[k]?.aliases && this.alias in body[k].aliases) };
  }

  async creationDate(index: string): Promise<number> {
    const { body } = await this.os.call<Record<string, { settings: { index: { creation_date: string } } }>>('GET', `/${index}/_settings/index.creation_date`);
    return Number(body[index]?.settings.index.creation_date ?? 0);
  }

  /** Points the alias at this build only, atomically: searches see the old index or the new one, never none. */
  async switchAlias(from: readonly string[]): Promise<void> {
    await this.os.call('POST', '/_aliases', {
      actions: [...from.filter((i) => i !== this.name).map((index) => ({ remove: { index, alias: this.alias } })), { add: { index: this.name, alias: this.alias } }],
    });
  }

  async refresh(): Promise<void> {
    await this.os.call('POST', `/${this.name}/_refresh`);
  }
}
