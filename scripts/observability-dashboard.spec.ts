import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// js-yaml ships no types of its own; this is all the spec needs of it.
const { load } = require('js-yaml') as { load: (text: string) => unknown };

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const yaml = (path: string) => load(read(path)) as Record<string, any>;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

type MetricType = 'counter' | 'gauge' | 'histogram';

/** Every metric the apps register: `metrics.counter('name', …)` and `new Gauge({ name: 'name', … })`. */
function registeredMetrics(): Map<string, { type: MetricType; file: string }> {
  const found = new Map<string, { type: MetricType; file: string }>();
  for (const file of [...sourceFiles('apps'), ...sourceFiles('libs')]) {
    const text = read(file);
    for (const m of text.matchAll(/\.(counter|gauge|histogram)(?:<[^>(]*>)?\(\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g)) found.set(m[2], { type: m[1] as MetricType, file });
    for (const m of text.matchAll(/new (Counter|Gauge|Histogram)(?:<[^>(]*>)?\(\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g)) found.set(m[2], { type: m[1].toLowerCase() as MetricType, file });
  }
  return found;
}

const PROMQL_WORDS = new Set(['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression reads (functions, labels, strings and ranges left out). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || PROMQL_WORDS.has(m[1].toLowerCase())) continue;
    names.add(m[1]);
  }
  return [...names];
}

interface Panel {
  type: string;
  title: string;
  id: number;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

describe('observability: Prometheus, Grafana and the dashboard', () => {
  const dashboard = JSON.parse(read('ops/grafana/dashboards/conversation-alias.json')) as { uid: string; title: string; schemaVersion: number; panels: Panel[] };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));

  it('reads PromQL as expected: metric names only', () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (le, topic) (rate(kafka_handler_duration_seconds_bucket{route="/x"}[$__rate_interval])))')).toEqual(['kafka_handler_duration_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total[5m])) / sum(rate(b_total{status="bounced", effect="updated"}[5m])) > 1e-9')).toEqual(['a_total', 'b_total']);
    expect(metricNamesIn('max by (state) (legacy_circuit_state)')).toEqual(['legacy_circuit_state']);
  });

  it('is a Grafana dashboard: unique panel ids, panels inside the 24-column grid, every query on the provisioned datasource', () => {
    expect(dashboard).toMatchObject({ uid: 'conversation-alias', title: 'Conversation Alias' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.gridPos.h).toBeGreaterThan(0);
      if (p.type === 'row') continue;
      expect(p.datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
      expect(p.targets?.length).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size).toBe(p.targets!.length);
    }
  });

  it('queries only metrics the code registers, histograms through their _bucket/_count/_sum series', () => {
    const registered = registeredMetrics();
    const unknown: string[] = [];
    for (const { panel, expr } of queries) {
      for (const name of metricNamesIn(expr)) {
        const suffix = /_(bucket|count|sum)$/.exec(name);
        const base = suffix ? name.slice(0, -suffix[0].length) : name;
        const metric = registered.get(suffix && registered.get(base)?.type === 'histogram' ? base : name);
        if (!metric || (suffix && metric.type !== 'histogram' && !registered.has(name))) unknown.push(`${panel}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('covers what operators watch: ingress, relay and notification latency, lag, dead letters, bounces, de-duplications, deliveries by state, the legacy circuit', () => {
    const used = new Set(queries.flatMap((q) => metricNamesIn(q.expr)));
    for (const name of [
      'inbound_ingress_requests_total',
      'inbound_ingress_duration_seconds_bucket',
      'relay_emails_processed_total',
      'relay_processing_seconds_bucket',
      'notifier_delivery_latency_seconds_bucket',
      'kafka_consumer_lag',
      'kafka_dead_letter_messages',
      'relay_bounces_total',
      'notifier_delivery_reports_total',
      'relay_deduplications_total',
      'notifier_deliveries_by_state',
      'legacy_circuit_state',
    ]) {
      expect(used).toContain(name);
    }
  });

  it('provisions Prometheus as the datasource the dashboard names, and loads the dashboards folder', () => {
    const datasources = yaml('ops/grafana/provisioning/datasources/prometheus.yml');
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = yaml('ops/grafana/provisioning/dashboards/conversation-alias.yml');
    expect(providers.providers[0]).toMatchObject({ type: 'file', options: { path: '/etc/grafana/dashboards' } });
  });

  it('scrapes the three apps on the host, and docker-compose.yml runs Prometheus and Grafana with those files', () => {
    const prometheus = yaml('ops/prometheus/prometheus.yml');
    const targets = prometheus.scrape_configs.flatMap((c: { static_configs: { targets: string[] }[] }) => c.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).toEqual(['host.docker.internal:3000', 'host.docker.internal:3001', 'host.docker.internal:3002']);
    expect(prometheus.scrape_configs.every((c: { metrics_path?: string }) => (c.metrics_path ?? '/metrics') === '/metrics')).toBe(true);

    const compose = yaml('docker-compose.yml');
    const { prometheus: prom, grafana } = compose.services;
    expect(prom.extra_hosts).toContain('host.docker.internal:host-gateway');
    expect(prom.volumes).toContain('./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(grafana.volumes).toEqual(expect.arrayContaining(['./ops/grafana/provisioning:/etc/grafana/provisioning:ro', './ops/grafana/dashboards:/etc/grafana/dashboards:ro']));
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['prometheus-data', 'grafana-data']));
    // Every file the stack mounts is in the repository.
    for (const volume of [...prom.volumes, ...grafana.volumes].filter((v: string) => v.startsWith('./'))) {
      expect(() => statSync(join(ROOT, volume.split(':')[0]))).not.toThrow();
    }
  });
});
