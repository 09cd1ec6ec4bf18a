import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ServiceConfigSpecs } from '../apps/ops/src/config-catalog';
import { TopicCatalog } from '@jobstream/contracts';

/** No Docker engine runs here, so the operator's compose file is checked statically. */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, unknown>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  restart?: string;
  secrets?: (string | { source: string; target: string })[];
}

const root = join(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};
const apps = ['ingest', 'listings', 'analytics', 'notifier'] as const;

describe('docker-compose.yml', () => {
  const { services } = compose;

  it('runs the engines on official images and the four apps from the Dockerfile', () => {
    expect(services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(services.mongodb.image).toMatch(/^mongo:\d/);
    expect(services.redis.image).toMatch(/^redis:\d/);
    expect(services.mail.image).toMatch(/^maildev\/maildev:/);
    expect(services.opensearch.image).toMatch(/^opensearchproject\/opensearch:2\./);
    for (const app of [...apps, 'topics'] as const) expect(services[app].build).toBe('.');
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/FROM .* AS build[\s\S]*FROM .* AS runtime/);
  });

  it('runs Kafka in KRaft mode without topic auto-creation, and Redis with AOF', () => {
    const env = services.kafka.environment!;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(String(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE)).toBe('false');
    expect(services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('gives every long-running service a health check and every stateful engine a volume', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.restart === 'no') continue; // one-shot steps: topics, kafka-format
      expect({ name, healthcheck: Array.isArray(svc.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
    for (const name of ['kafka', 'mongodb', 'redis', 'opensearch']) {
      const volume = svc(name).volumes?.[0]?.split(':')[0];
      expect(volume && Object.keys(compose.volumes)).toContain(volume);
    }
    for (const app of apps) expect(services[app].healthcheck!.test.join(' ')).toContain('/health/ready');
  });

  it('provisions topics once, after Kafka is healthy, before any app starts', () => {
    expect(services.topics.command).toEqual(['node', 'dist/apps/ops/main.js', 'provision']);
    expect(services.topics.restart).toBe('no');
    expect(services.topics.depends_on?.kafka.condition).toBe('service_healthy');
    for (const app of apps) expect(services[app].depends_on?.topics.condition).toBe('service_completed_successfully');
    expect(services.listings.depends_on?.mongodb.condition).toBe('service_healthy');
    expect(services.analytics.depends_on?.redis.condition).toBe('service_healthy');
    expect(services.notifier.depends_on?.mail.condition).toBe('service_healthy');
    expect(services.listings.depends_on?.opensearch.condition).toBe('service_healthy');
    expect(services.listings.depends_on?.redis.condition).toBe('service_healthy');
  });

  it('runs OpenSearch as one node with a bounded heap, its data on a volume, health-checked on cluster status', () => {
    const env = services.opensearch.environment!;
    expect(env['discovery.type']).toBe('single-node');
    expect(String(env.OPENSEARCH_JAVA_OPTS)).toMatch(/-Xms\S+ -Xmx\S+/);
    // Security is off only because the node is reachable inside the compose network alone.
    expect(String(env.DISABLE_SECURITY_PLUGIN)).toBe('true');
    expect(services.opensearch.ports).toBeUndefined();
    expect(services.opensearch.volumes).toEqual(['opensearch-data:/usr/share/opensearch/data']);
    expect(services.opensearch.healthcheck!.test.join(' ')).toContain('_cluster/health');
    expect(services.listings.environment!.OPENSEARCH_URL).toBe('http://opensearch:9200');
  });

  it("defaults every variable an operator may override (${NAME:-default}) to the app's own default", () => {
    // Compose-only on purpose: listings replicas publish host ports 30010-30019 (see its ports).
    const composeOnly: Record<string, string> = { LISTINGS_PUBLIC_URL: 'http://localhost:30010' };
    for (const app of [...apps, 'web'] as const) {
      const specs = ServiceConfigSpecs[app] as Record<string, { default?: unknown }>;
      for (const [name, raw] of Object.entries(services[app].environment!)) {
        const overridable = /^\$\{([A-Z0-9_]+):-(.*)\}$/.exec(String(raw));
        if (!overridable) continue;
        const own = specs[name]?.default;
        // Required by the app (no default of its own, e.g. KAFKA_GROUP_ID): compose chooses.
        if (own === undefined && !(name in composeOnly)) continue;
        const expected = composeOnly[name] ?? (Array.isArray(own) ? own.join(',') : String(own));
        expect({ app, name, default: overridable[2] }).toEqual({ app, name, default: expected });
      }
    }
  });

  it('wires every variable each app reads, pointing at the compose engines', () => {
    for (const app of apps) {
      const env = services[app].environment!;
      for (const name of Object.keys(ServiceConfigSpecs[app])) expect({ app, name, wired: name in env }).toEqual({ app, name, wired: true });
      expect(env.SERVICE).toBe(app);
      expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    }
    for (const name of Object.keys(ServiceConfigSpecs.ops)) expect(services.topics.environment).toHaveProperty(name);
    for (const t of TopicCatalog) expect(services.topics.environment).toHaveProperty(t.partitionsEnv);
    expect(services.listings.environment!.MONGO_URL).toMatch(/^mongodb:\/\/mongodb:27017\//);
    expect(services.analytics.environment!.REDIS_URL).toBe('redis://redis:6379');
    expect(services.notifier.environment!.SMTP_URL).toBe('smtp://mail:1025');
  });

  it('locks Kafka down: SCRAM logins only, deny by default, each app its own principal from a secret file', () => {
    const env = services.kafka.environment!;
    expect(env.KAFKA_LISTENERS).toBe('SASL_PLAINTEXT://:9092,CONTROLLER://127.0.0.1:9093');
    expect(env.KAFKA_SASL_ENABLED_MECHANISMS).toBe('SCRAM-SHA-512');
    expect(env.KAFKA_AUTHORIZER_CLASS_NAME).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(String(env.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND)).toBe('false');
    expect(services.kafka.depends_on?.['kafka-format'].condition).toBe('service_completed_successfully');
    expect(services['kafka-format'].command!.join(' ')).toContain('--add-scram');
    expect(services.kafka.healthcheck!.test.join(' ')).toContain('--command-config');
    const principals: Record<string, string> = { ingest: 'ingest', listings: 'listings', analytics: 'analytics', notifier: 'notifier' };
    for (const app of apps) {
      const appEnv = services[app].environment!;
      expect(appEnv.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
      expect(appEnv.KAFKA_SASL_USERNAME).toBe(principals[app]);
      expect(appEnv.KAFKA_SASL_PASSWORD_FILE).toBe(`/run/secrets/kafka-${app}`);
      expect(services[app].secrets).toContain(`kafka-${app}`);
    }
    expect(services.listings.environment!.KAFKA_SEARCH_SASL_USERNAME).toBe('search');
    // The provisioner logs in as the admin and gets every principal's password file.
    const topics = services.topics;
    expect(topics.environment!.KAFKA_SASL_USERNAME).toBe('admin');
    const targets = (topics.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.target));
    for (const p of ['ingest', 'listings', 'search', 'analytics', 'notifier', 'ops', 'subscriber']) expect(targets).toContain(`kafka-users/${p}`);
    for (const secret of Object.values(compose.secrets)) expect(secret.file).toMatch(/^\.\/secrets\/kafka\//);
  });

  it('lets consumers scale: no fixed host port on the consumer services', () => {
    for (const app of ['listings', 'analytics', 'notifier'] as const) {
      for (const port of services[app].ports ?? []) expect(port).toMatch(/-\d+}?:\d+$/);
    }
  });

  it('runs the web front end from the same image, over the apps it reads and writes through', () => {
    const web = services.web;
    expect(web.build).toBe('.');
    expect(web.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:3004/health/ready');
    for (const app of ['ingest', 'listings', 'analytics']) expect(web.depends_on?.[app].condition).toBe('service_healthy');
    const env = web.environment!;
    expect(env.SERVICE).toBe('web');
    for (const name of Object.keys(ServiceConfigSpecs.web)) expect({ name, wired: name in env }).toEqual({ name, wired: true });
    expect(env).toMatchObject({ WEB_LISTINGS_URL: 'http://listings:3001', WEB_ANALYTICS_URL: 'http://analytics:3002', WEB_INGEST_URL: 'http://ingest:3000' });
    // Recruiter emails link to the page, not to the JSON of the read API.
    expect(String(services.notifier.environment!.POSTING_URL_TEMPLATE)).toContain(':3004/jobs/{postingId}');
  });

  function svc(name: string): Service {
    return services[name];
  }
});
