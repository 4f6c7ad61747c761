import { DynamicModule, InjectionToken, Logger, Module, ModuleMetadata } from '@nestjs/common';
import { LEGACY_ALIAS_RESOLVER } from '@libs/conversations';
import { LEGACY_SYSTEM, LegacySystem } from './domain/legacy-system.port';
import { HttpLegacySystem } from './infrastructure/http/http-legacy-system.adapter';
import { LegacySystemAliasResolver } from './infrastructure/legacy-system-alias-resolver';

export interface LegacyBridgeConfig {
  /** Set: the legacy system's bridge API (docs/legacy-system.md). Unset: no legacy bridge. */
  LEGACY_SYSTEM_URL?: string;
  LEGACY_SYSTEM_TIMEOUT_MS?: number;
}

export interface LegacyBridgeModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => LegacyBridgeConfig | Promise<LegacyBridgeConfig>;
}

const LEGACY_BRIDGE_CONFIG = Symbol('LEGACY_BRIDGE_CONFIG');

export function createLegacySystem(config: LegacyBridgeConfig): LegacySystem | null {
  const url = config.LEGACY_SYSTEM_URL?.trim();
  if (!url) return null;
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    // Config is validated at the app's edge; this guards a lib used with a hand-built config.
    throw new Error('LEGACY_SYSTEM_URL: expected an http: or https: URL, for example https://legacy.internal/bridge');
  }
  new Logger('LegacyBridgeModule').log(`Legacy aliases are handed to the legacy system at ${new URL(url).origin}`);
  return new HttpLegacySystem({ baseUrl: url, timeoutMs: config.LEGACY_SYSTEM_TIMEOUT_MS });
}

/**
 * The bridge to the legacy system: LEGACY_SYSTEM (the port) and LEGACY_ALIAS_RESOLVER (for the
 * conversations lib's ResolveAliasQuery). Global, so the conversations and inbound-routing libs
 * see the bindings without importing this module.
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
        { provide: LEGACY_SYSTEM, inject: [LEGACY_BRIDGE_CONFIG], useFactory: createLegacySystem },
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
