import { TopicCatalog, dlqTopic, redriveTopic } from './catalog';
import { Consumers, Principals, Producers, Services, consumerGroupOf, principalOf, type PrincipalName, type ServiceName } from './consumers';

/**
 * The broker ACLs, derived from the Consumers and Producers tables so a new consumer or producer
 * gets its permissions without anyone writing an ACL by hand. `ops provision` applies exactly
 * this set for the principals below (adding what is missing, removing what is no longer listed).
 */
export type AclResource = 'topic' | 'group';
/** `read` and `write` imply `describe` on the broker; `create` does not. */
export type AclOperation = 'read' | 'write' | 'describe' | 'create' | 'delete';
export type AclPattern = 'literal' | 'prefixed';

export interface AclRule {
  readonly principal: PrincipalName;
  readonly resource: AclResource;
  readonly pattern: AclPattern;
  /** `*` with a literal pattern means every resource of the type. */
  readonly name: string;
  readonly operation: AclOperation;
}

/** Consumer groups of outside subscribers must start with this (e.g. `subscriber.my-app`). */
export const SubscriberGroupPrefix = 'subscriber';
/** Groups of the ops CLI: its topic readers (`ops-reader-…`) and re-drive cursors (`ops-redrive.<group>`). */
export const OpsGroupPrefix = 'ops-';

/**
 * `groupIds` overrides a service's KAFKA_GROUP_ID (by default its name). A service's main group is
 * matched exactly; a projection group is a prefix, because a projection build may append to it
 * (the search projection runs in `<group>-search-<SEARCH_BUILD>`). The same goes for the group's
 * `dlq.`/`redrive.` topics.
 */
export function kafkaAcls(groupIds: Partial<Record<ServiceName, string>> = {}): AclRule[] {
  const rules = new Map<string, AclRule>();
  const add = (principal: PrincipalName, resource: AclResource, pattern: AclPattern, name: string, ...operations: AclOperation[]) => {
    for (const operation of operations) rules.set(`${principal}|${resource}|${pattern}|${name}|${operation}`, { principal, resource, pattern, name, operation });
  };
  for (const row of Consumers) {
    const principal = principalOf(row);
    const group = consumerGroupOf(row, groupIds[row.service] ?? row.service);
    const pattern: AclPattern = row.group ? 'prefixed' : 'literal';
    add(principal, 'topic', 'literal', row.topic, 'read');
    add(principal, 'group', pattern, group, 'read');
    // A consumer creates its own dead-letter and re-drive topics when it starts.
    add(principal, 'topic', pattern, dlqTopic(group), 'write', 'create');
    add(principal, 'topic', pattern, redriveTopic(group), 'read', 'create');
    if (principal !== row.service) {
      // The service's one producer writes the dead letters of all its groups, and it watches how
      // far its other groups got (search lag on /health, projection watermarks).
      add(row.service, 'topic', pattern, dlqTopic(group), 'write');
      add(row.service, 'group', pattern, group, 'describe');
    }
  }
  for (const service of Services) for (const topic of Producers[service]) add(service, 'topic', 'literal', topic, 'write');
  // Operators read dead letters and re-drive them; lag and progress describe any group and topic.
  add('ops', 'topic', 'prefixed', 'dlq.', 'read');
  add('ops', 'topic', 'prefixed', 'redrive.', 'write');
  add('ops', 'group', 'prefixed', OpsGroupPrefix, 'read', 'delete');
  add('ops', 'topic', 'literal', '*', 'describe');
  add('ops', 'group', 'literal', '*', 'describe');
  for (const topic of TopicCatalog) if (!topic.restricted) add('subscriber', 'topic', 'literal', topic.name, 'read');
  add('subscriber', 'group', 'prefixed', SubscriberGroupPrefix, 'read');
  return [...rules.values()];
}

/** Who may read and write which catalog topic, for the README table. */
export function topicAccessTable(): string {
  const rules = kafkaAcls();
  const who = (topic: string, operation: AclOperation) =>
    Principals.filter((p) => rules.some((r) => r.principal === p && r.resource === 'topic' && r.pattern === 'literal' && r.name === topic && r.operation === operation)).join(', ') || '—';
  const lines = ['| Topic | Restricted | Written by | Read by |', '| --- | --- | --- | --- |'];
  for (const topic of TopicCatalog) lines.push(`| \`${topic.name}\` | ${topic.restricted ? 'yes' : 'no'} | ${who(topic.name, 'write')} | ${who(topic.name, 'read')} |`);
  return lines.join('\n');
}
