import { Consumers, Principals, Producers, consumerGroupOf, principalOf } from './consumers';
import { TopicCatalog, dlqTopic } from './catalog';
import { kafkaAcls, type AclRule } from './acls';

const has = (rules: AclRule[], r: Partial<AclRule>) => rules.some((x) => Object.entries(r).every(([k, v]) => x[k as keyof AclRule] === v));

describe('kafkaAcls', () => {
  const rules = kafkaAcls();

  it('lets every consumer row read its topic in its group, and own its dead-letter topic', () => {
    for (const row of Consumers) {
      const principal = principalOf(row);
      const group = consumerGroupOf(row, row.service);
      expect({ row: `${principal} ${row.topic}`, ok: has(rules, { principal, resource: 'topic', name: row.topic, operation: 'read' }) }).toEqual({ row: `${principal} ${row.topic}`, ok: true });
      expect(has(rules, { principal, resource: 'group', name: group, operation: 'read', pattern: row.group ? 'prefixed' : 'literal' })).toBe(true);
      expect(has(rules, { principal, resource: 'topic', name: dlqTopic(group), operation: 'write' })).toBe(true);
    }
  });

  it('grants restricted topics to their consumers and producers only', () => {
    for (const topic of TopicCatalog.filter((t) => t.restricted)) {
      const readers = new Set(rules.filter((r) => r.resource === 'topic' && r.name === topic.name && r.operation === 'read').map((r) => r.principal));
      const consumers = new Set(Consumers.filter((c) => c.topic === topic.name).map(principalOf));
      expect([...readers].sort()).toEqual([...consumers].sort());
      expect(readers.has('subscriber')).toBe(false);
      expect(readers.has('search')).toBe(false);
    }
  });

  it('lets producers write exactly their topics, and gives the subscriber no write at all', () => {
    for (const principal of Principals) {
      const writes = rules.filter((r) => r.principal === principal && r.resource === 'topic' && r.operation === 'write' && r.pattern === 'literal' && !r.name.startsWith('dlq.'));
      const expected = principal in Producers ? Producers[principal as keyof typeof Producers] : [];
      expect({ principal, writes: writes.map((w) => w.name).sort() }).toEqual({ principal, writes: [...expected].sort() });
    }
    expect(rules.filter((r) => r.principal === 'subscriber' && r.operation !== 'read')).toEqual([]);
  });

  it('follows a service whose group id is not its name, and never grants a bare prefix of another group', () => {
    const custom = kafkaAcls({ listings: 'listings-eu' });
    expect(has(custom, { principal: 'listings', resource: 'group', name: 'listings-eu', pattern: 'literal', operation: 'read' })).toBe(true);
    expect(has(custom, { principal: 'search', resource: 'group', name: 'listings-eu-search', pattern: 'prefixed', operation: 'read' })).toBe(true);
    // The listings principal may look at the search group's offsets, not consume in it.
    expect(has(rules, { principal: 'listings', resource: 'group', name: 'listings-search', operation: 'read' })).toBe(false);
    expect(rules.filter((r) => r.resource === 'group' && r.pattern === 'prefixed' && r.principal !== 'ops' && r.principal !== 'subscriber').every((r) => r.name.includes('-'))).toBe(true);
  });
});
