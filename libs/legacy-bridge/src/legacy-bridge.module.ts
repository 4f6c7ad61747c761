import { DynamicModule, InjectionToken, Logger, Module, ModuleMetadata } from '@nestjs/common';
import { LEGACY_ALIAS_RESOLVER } from '@libs/conversations';
import { MetricsService } from '@libs/observability';
import { LEGACY_SYSTEM, LegacySystem } from './domain/legacy-system.port';
import { HttpLegacySystem, LEGACY_CIRCUIT_STATES, LegacyCircuitBreakerOptions, LegacyCircuitState } from './infrastructure/http/http-legacy-system.adapter';
import { LegacySystemAliasResolver } from './infrastructure/legacy-system-alias-resolver';

export interface LegacyBridgeConfig {
  /** Set: the legacy system's bridge API (docs/legacy-system.md). Unset: no legacy bridge. */
  LEGACY_SYSTEM_URL?: string;
  LEGACY_SYSTEM_TIMEOUT_MS?: number;
  /** The adapter's circuit breaker (defaults: docs/legacy-system.md); false turns it off. */
  circuitBreaker?: LegacyCircuitBreakerOptions | false;
}

export interface LegacyBridgeModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => LegacyBridgeConfig | Promise<LegacyBridgeConfig>;
}

const LEGACY_BRIDGE_CONFIG = Symbol('LEGACY_BRIDGE_CONFIG');

/** `legacy_circuit_state{state}`: 1 for the circuit's state now, 0 for the others. */
export function legacyCircuitGauge(metrics: MetricsService): (state: LegacyCircuitState) => void {
  const gauge = metrics.gauge('legacy_circuit_state', "The legacy system circuit breaker's state (1: current)", ['state']);
  return (state) => {
    for (const s of LEGACY_CIRCUIT_STATES) gauge.set({ state: s }, s === state ? 1 : 0);
  };
}

export function createLegacySystem(config: LegacyBridgeConfig, metrics?: MetricsService | null): LegacySystem | null {
  const url = config.LEGACY_SYSTEM_URL?.trim();
  if (!url) return null;
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    // Config is validated at the app's edge; this guards a lib used with a hand-built config.
    throw new Error('LEGACY_SYSTEM_URL: expected an http: or https: URL, for example https://legacy.internal/bridge');
  }
  new Logger('LegacyBridgeModule').log(`Legacy aliases are handed to the legacy system at ${new URL(url).origin}`);
  return new HttpLegacySystem({
    baseUrl: url,
    timeoutMs: config.LEGACY_SYSTEM_TIMEOUT_MS,
    circuitBreaker: config.circuitBreaker,
    onCircuitStateChange: metrics ? legacyCircuitGauge(metrics) : undefined,
  });
}

/**
 * The bridge to the legacy system: LEGACY_SYSTEM (the port) and LEGACY_ALIAS_RESOLVER (for the
 * conversations lib's ResolveAliasQuery). Global, so the conversations and inbound-routing libs
 * see the bindings without importing this module.
 *
 * The adapter opens a circuit breaker on a dead legacy system; its state is the gauge
 * `legacy_circuit_state{state}` when MetricsService (ObservabilityModule) is present.
 *
 * Without LEGACY_SYSTEM_URL nothing is bound: both tokens resolve to null, which their
 * (optional) consumers treat as "no legacy bridge", i.e. today's behaviour.
 */
@Module({})
export class LegacyBridgeModule {
  static forRootAsync(options: LegacyBridgeModuleAsyncOptions): DynamicModule {
    return {
      module: LegacyBridgeModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: LEGACY_BRIDGE_CONFIG, inject: options.inject ?? [], useFactory: options.useFactory },
        {
          provide: LEGACY_SYSTEM,
          inject: [LEGACY_BRIDGE_CONFIG, { token: MetricsService, optional: true }],
          useFactory: (config: LegacyBridgeConfig, metrics?: MetricsService) => createLegacySystem(config, metrics),
        },
        {
          provide: LEGACY_ALIAS_RESOLVER,
          inject: [LEGACY_SYSTEM],
          useFactory: (legacy: LegacySystem | null) => (legacy ? new LegacySystemAliasResolver(legacy) : null),
        },
      ],
      exports: [LEGACY_SYSTEM, LEGACY_ALIAS_RESOLVER],
    };
  }
}
