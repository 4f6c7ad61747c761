import { createHash } from 'node:crypto';
import { DomainError, ErrorCategory } from '@libs/contracts';

/**
 * Suppress and parallel (DESIGN §5): per use case, which system notifies the participants of a
 * conversation while both are live.
 *
 * - `LEGACY_ONLY`: the legacy system sends; the new path sends nothing.
 * - `PARALLEL`: the legacy system is still called (with `suppressNotification: true`, so it keeps
 *   storing and indexing for its readers) and the new path delivers.
 * - `NEW_ONLY`: only the new path.
 */
export const ROLLOUT_MODES = ['LEGACY_ONLY', 'PARALLEL', 'NEW_ONLY'] as const;
export type RolloutMode = (typeof ROLLOUT_MODES)[number];

/** The use case of a conversation that has none. */
export const DEFAULT_USE_CASE = 'default';
export const MAX_USE_CASE_LENGTH = 100;
const USE_CASE_PATTERN = /^[a-z0-9._-]{1,100}$/;
const MAX_ACTOR_LENGTH = 200;

export interface Rollout {
  /** Normalised: trimmed, lower case, [a-z0-9._-]{1,100}. */
  useCase: string;
  mode: RolloutMode;
  /**
   * 0..100: the share of the use case's conversations (by bucketOf) that take `mode`; the others
   * stay on the legacy system. With mode LEGACY_ONLY every conversation is legacy, whatever this.
   */
  percent: number;
  /** Conversations left on the legacy system have the new path computed, not sent, for parity. */
  shadow: boolean;
  updatedAt: Date;
  /** Who made the change (an admin's email, an operator's name); null when unknown. */
  updatedBy: string | null;
}

export interface RolloutInput {
  useCase: string;
  mode: string;
  percent: number;
  shadow?: boolean | null;
}

export enum RolloutErrorCode {
  InvalidUseCase = 'ROLLOUT_INVALID_USE_CASE',
  InvalidMode = 'ROLLOUT_INVALID_MODE',
  InvalidPercent = 'ROLLOUT_INVALID_PERCENT',
  InvalidShadow = 'ROLLOUT_INVALID_SHADOW',
}

const invalid = (code: RolloutErrorCode, message: string) => new DomainError(code, ErrorCategory.Invalid, message);

/**
 * The conversation's bucket, 0..99: the first 48 bits of SHA-256(conversationId) modulo 100
 * (the modulo bias is below 1e-12). Deterministic, so a conversation never changes side while
 * a percentage stays the same, and raising the percentage only ever adds conversations.
 */
export function bucketOf(conversationId: string): number {
  return createHash('sha256').update(conversationId, 'utf8').digest().readUIntBE(0, 6) % 100;
}

/**
 * The mode for one conversation: no rollout stored for its use case → `fallback`; in the first
 * `percent` buckets → the rollout's mode; else LEGACY_ONLY.
 */
export function effectiveMode(rollout: Rollout | null | undefined, conversationId: string, fallback: RolloutMode): RolloutMode {
  if (!rollout) return fallback;
  return bucketOf(conversationId) < rollout.percent ? rollout.mode : 'LEGACY_ONLY';
}

/**
 * Whether the new path should compute (not send) what it would deliver for this conversation,
 * to report parity with the legacy system: the rollout asks for shadowing and the conversation
 * is on the legacy system only.
 */
export function shadowFor(rollout: Rollout | null | undefined, conversationId: string): boolean {
  return !!rollout && rollout.shadow && effectiveMode(rollout, conversationId, 'LEGACY_ONLY') === 'LEGACY_ONLY';
}

export function isRolloutMode(value: unknown): value is RolloutMode {
  return typeof value === 'string' && (ROLLOUT_MODES as readonly string[]).includes(value);
}

/** Accepts any case and surrounding blanks ("parallel" → PARALLEL). */
export function parseRolloutMode(value: unknown): RolloutMode {
  const mode = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (!isRolloutMode(mode)) {
    throw invalid(RolloutErrorCode.InvalidMode, `mode: expected one of ${ROLLOUT_MODES.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return mode;
}

/** Strict: what an operator or admin names. Trimmed, lower-cased, then [a-z0-9._-]{1,100}. */
export function normalizeUseCase(value: unknown): string {
  if (typeof value !== 'string') throw invalid(RolloutErrorCode.InvalidUseCase, 'useCase: expected a string.');
  const useCase = value.trim().toLowerCase();
  if (!USE_CASE_PATTERN.test(useCase)) {
    throw invalid(
      RolloutErrorCode.InvalidUseCase,
      `useCase: expected 1 to ${MAX_USE_CASE_LENGTH} letters, digits, dots, dashes or underscores (for example "job-application"), got ${JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value)}.`,
    );
  }
  return useCase;
}

/**
 * Lenient: the key under which a conversation's use case is looked up. No use case (null, blank)
 * → `default`; otherwise trimmed and lower-cased. Never throws: a use case that is not a valid
 * rollout name simply has no rollout (the fallback mode applies).
 */
export function useCaseKeyOf(useCase: string | null | undefined): string {
  const key = (useCase ?? '').trim().toLowerCase();
  return key === '' ? DEFAULT_USE_CASE : key;
}

export function validatePercent(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw invalid(RolloutErrorCode.InvalidPercent, `percent: expected a whole number from 0 to 100, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** A validated, normalised rollout, as it will be stored. */
export function createRollout(input: RolloutInput, actor: string | null, now: Date = new Date()): Rollout {
  if (input.shadow !== undefined && input.shadow !== null && typeof input.shadow !== 'boolean') {
    throw invalid(RolloutErrorCode.InvalidShadow, `shadow: expected true or false, got ${JSON.stringify(input.shadow)}.`);
  }
  const by = actor?.trim().slice(0, MAX_ACTOR_LENGTH);
  return {
    useCase: normalizeUseCase(input.useCase),
    mode: parseRolloutMode(input.mode),
    percent: validatePercent(input.percent),
    shadow: input.shadow === true,
    updatedAt: now,
    updatedBy: by ? by : null,
  };
}

/** For logs and the CLI: `PARALLEL 10%`, `LEGACY_ONLY 100% +shadow`, `(none)`. */
export function describeRollout(rollout: Pick<Rollout, 'mode' | 'percent' | 'shadow'> | null | undefined): string {
  if (!rollout) return '(none)';
  return `${rollout.mode} ${rollout.percent}%${rollout.shadow ? ' +shadow' : ''}`;
}
