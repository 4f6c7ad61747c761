import { RolloutMode, parseRolloutMode } from './rollout';

export interface RolloutOptions {
  /** How often every app re-reads the rollouts (ROLLOUT_REFRESH_MS); a change is live within this. */
  refreshMs?: number;
  /** The mode of a use case with no stored rollout (LEGACY_DEFAULT_MODE). */
  fallbackMode?: RolloutMode;
  /**
   * Re-read the store every `refreshMs` (default). Off for an app that only changes and lists
   * rollouts (the gateway's admin API) and never asks for a conversation's mode.
   */
  watch?: boolean;
}

export const DEFAULT_ROLLOUT_REFRESH_MS = 1_000;
export const DEFAULT_FALLBACK_MODE: RolloutMode = 'NEW_ONLY';
export const ROLLOUT_OPTIONS = Symbol('ROLLOUT_OPTIONS');

/** The app's configuration variables, as the config schema gives them. */
export interface RolloutEnv {
  ROLLOUT_REFRESH_MS?: number;
  LEGACY_DEFAULT_MODE?: string;
}

/** For `RolloutModule.forRootAsync({ inject: [APP_CONFIG], useFactory: rolloutOptionsFrom })`. */
export function rolloutOptionsFrom(env: RolloutEnv): Required<Pick<RolloutOptions, 'refreshMs' | 'fallbackMode'>> {
  return {
    refreshMs: env.ROLLOUT_REFRESH_MS ?? DEFAULT_ROLLOUT_REFRESH_MS,
    fallbackMode: env.LEGACY_DEFAULT_MODE ? parseRolloutMode(env.LEGACY_DEFAULT_MODE) : DEFAULT_FALLBACK_MODE,
  };
}

export function resolveRolloutOptions(options: RolloutOptions | null | undefined): Required<RolloutOptions> {
  const refreshMs = options?.refreshMs ?? DEFAULT_ROLLOUT_REFRESH_MS;
  if (!Number.isInteger(refreshMs) || refreshMs <= 0) throw new Error(`ROLLOUT_REFRESH_MS: expected a whole number of milliseconds > 0, got ${refreshMs}`);
  return { refreshMs, fallbackMode: parseRolloutMode(options?.fallbackMode ?? DEFAULT_FALLBACK_MODE), watch: options?.watch ?? true };
}
