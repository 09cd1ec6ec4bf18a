import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin, type AclEntry } from 'kafkajs';
import { Principals, Services, kafkaAcls, type AclRule, type PrincipalName, type ServiceName } from '@jobstream/contracts';

const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP } as const;
const PATTERN = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED } as const;
const OPERATION = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
} as const;

const toEntry = (rule: AclRule, principalPrefix: string): AclEntry => ({
  resourceType: RESOURCE[rule.resource],
  resourceName: rule.name,
  resourcePatternType: PATTERN[rule.pattern],
  principal: `User:${principalPrefix}${rule.principal}`,
  host: '*',
  operation: OPERATION[rule.operation],
  permissionType: AclPermissionTypes.ALLOW,
});

const keyOf = (e: AclEntry) => [e.principal, e.resourceType, e.resourcePatternType, e.resourceName, e.host, e.operation, e.permissionType].join('|');

/** `service=group` pairs of KAFKA_ACL_GROUPS, checked against the service names. */
export function parseGroupIds(pairs: readonly string[]): Partial<Record<ServiceName, string>> {
  const out: Partial<Record<ServiceName, string>> = {};
  for (const pair of pairs) {
    const [service, group] = pair.split('=');
    if (!(Services as readonly string[]).includes(service) || !group) throw new Error(`Invalid configuration: KAFKA_ACL_GROUPS has "${pair}", which is not <service>=<group> with a service of ${Services.join(', ')}`);
    out[service as ServiceName] = group;
  }
  return out;
}

/** Passwords of the principals that have a file in `dir` (named after the principal). */
export function principalPasswords(dir: string): Map<PrincipalName, string> {
  const out = new Map<PrincipalName, string>();
  if (!dir) return out;
  if (!existsSync(dir)) throw new Error(`Invalid configuration: KAFKA_USER_PASSWORDS_DIR ${dir} does not exist`);
  for (const principal of Principals) {
    const file = join(dir, principal);
    if (!existsSync(file)) continue;
    const password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (password.length < 8) throw new Error(`Invalid configuration: the password file of ${principal} in KAFKA_USER_PASSWORDS_DIR must hold at least 8 characters`);
    out.set(principal, password);
  }
  return out;
}

/**
 * Makes the broker's ACLs of our principals exactly the table's: creates missing bindings and
 * deletes bindings the table no longer lists (a consumer removed from it loses its access).
 * Bindings of other principals (the admin, people's own) are never touched.
 */
export async function reconcileAcls(
  admin: Admin,
  options: { groupIds?: Partial<Record<ServiceName, string>>; principalPrefix?: string } = {},
): Promise<{ created: number; deleted: number; unchanged: number }> {
  const prefix = options.principalPrefix ?? '';
  const wanted = new Map(kafkaAcls(options.groupIds).map((r) => toEntry(r, prefix)).map((e) => [keyOf(e), e]));
  const have = new Map<string, AclEntry>();
  for (const principal of Principals) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      principal: `User:${prefix}${principal}`,
      host: '*',
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    for (const resource of resources)
      for (const acl of resource.acls) {
        const entry: AclEntry = {
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          resourcePatternType: resource.resourcePatternType,
          principal: acl.principal,
          host: acl.host,
          operation: acl.operation,
          permissionType: acl.permissionType,
        };
        have.set(keyOf(entry), entry);
      }
  }
  const missing = [...wanted].filter(([k]) => !have.has(k)).map(([, e]) => e);
  const stale = [...have].filter(([k]) => !wanted.has(k)).map(([, e]) => e);
  if (missing.length > 0) await admin.createAcls({ acl: missing });
  if (stale.length > 0) await admin.deleteAcls({ filters: stale });
  return { created: missing.length, deleted: stale.length, unchanged: wanted.size - missing.length };
}
