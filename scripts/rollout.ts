/**
 * Operator command: the suppress-and-parallel rollouts (DESIGN §5), per use case.
 *
 *   npm run rollout -- list
 *   npm run rollout -- set <useCase> <LEGACY_ONLY|PARALLEL|NEW_ONLY> <percent> [--shadow] [--by <name>]
 *   npm run rollout -- rollback <useCase> [--by <name>]      (mode LEGACY_ONLY, percent kept)
 *
 * Writes the same documents, with the same validation, as the gateway's `setRollout` mutation
 * (RolloutCollectionStore, createRollout); running apps pick a change up within
 * ROLLOUT_REFRESH_MS, without a restart. Uses MONGO_URL (default the local server outside
 * production). Exit status 64 on bad arguments.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { isDomainError } from '@libs/contracts';
import { loadConfigOrExit } from '@libs/config';
// The pure parts only (no Nest): the domain rules and the native-collection store.
import { ROLLOUT_MODES, Rollout, createRollout, describeRollout, normalizeUseCase, validatePercent } from '../libs/legacy-bridge/src/rollout/rollout';
import { RolloutStore } from '../libs/legacy-bridge/src/rollout/rollout-store.port';
import { ROLLOUTS_COLLECTION, RolloutCollectionStore, RolloutDocument } from '../libs/legacy-bridge/src/rollout/infrastructure/rollout-collection.store';

export const EX_USAGE = 64;

export const USAGE = [
  'usage: npm run rollout -- list',
  `       npm run rollout -- set <useCase> <${ROLLOUT_MODES.join('|')}> <percent 0-100> [--shadow] [--by <name>]`,
  '       npm run rollout -- rollback <useCase> [--by <name>]   (mode LEGACY_ONLY, percent kept)',
].join('\n');

export type RolloutCliCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'set'; useCase: string; mode: string; percent: number; shadow: boolean; by: string | null }
  | { kind: 'rollback'; useCase: string; by: string | null };

export class UsageError extends Error {}

/**
 * The command line: its shape (command, counts, options) here, its values with the domain's own
 * rules (createRollout). Throws UsageError or DomainError (category Invalid): exit 64.
 */
export function parseRolloutArgs(argv: readonly string[]): RolloutCliCommand {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...rest] = positionals;
  const by = values.by?.trim() || null;
  const expect = (count: number, shape: string) => {
    if (rest.length !== count) throw new UsageError(`${command}: expected ${shape}, got ${rest.length === 0 ? 'nothing' : rest.map((r) => JSON.stringify(r)).join(' ')}`);
  };
  switch (command) {
    case undefined:
      throw new UsageError('missing command: list, set or rollback');
    case 'list':
      expect(0, 'no arguments');
      if (values.shadow || values.by !== undefined) throw new UsageError('list: takes no options');
      return { kind: 'list' };
    case 'set': {
      expect(3, '<useCase> <mode> <percent>');
      // The mutation's own validation, before anything is read or written.
      const valid = createRollout({ useCase: rest[0], mode: rest[1], percent: parsePercent(rest[2]), shadow: values.shadow === true }, by);
      return { kind: 'set', useCase: valid.useCase, mode: valid.mode, percent: valid.percent, shadow: valid.shadow, by };
    }
    case 'rollback':
      expect(1, '<useCase>');
      if (values.shadow) throw new UsageError('rollback: --shadow is not an option (rollback keeps the shadow setting)');
      return { kind: 'rollback', useCase: normalizeUseCase(rest[0]), by };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}: expected list, set or rollback`);
  }
}

function parseWith(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { shadow: { type: 'boolean' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}

/** "10" → 10; anything else goes to the domain's check as given, so its message names it. */
function parsePercent(text: string): number {
  return validatePercent(/^\s*\d{1,3}\s*$/.test(text) ? Number(text) : (text as unknown as number));
}

export interface RolloutCliContext {
  store: RolloutStore;
  /** Who is recorded as `updatedBy` when --by is not given. */
  defaultActor: string | null;
  /** For the reminder: the apps' ROLLOUT_REFRESH_MS, if this shell knows it. */
  refreshMs?: string;
  now?: () => Date;
}

/** Runs one command; returns the lines to print. Domain errors (bad values) propagate. */
export async function runRolloutCommand(command: Exclude<RolloutCliCommand, { kind: 'help' }>, context: RolloutCliContext): Promise<string[]> {
  const now = context.now?.() ?? new Date();
  if (command.kind === 'list') {
    const rollouts = await context.store.list();
    if (rollouts.length === 0) return ['No rollouts stored: every use case takes LEGACY_DEFAULT_MODE (default NEW_ONLY).'];
    return rollouts.map(listLine);
  }
  const by = command.by ?? context.defaultActor;
  let previous: Rollout | null;
  let next: Rollout;
  if (command.kind === 'set') {
    next = createRollout({ useCase: command.useCase, mode: command.mode, percent: command.percent, shadow: command.shadow }, by, now);
    previous = await context.store.get(next.useCase);
  } else {
    const useCase = normalizeUseCase(command.useCase);
    previous = await context.store.get(useCase);
    next = createRollout({ useCase, mode: 'LEGACY_ONLY', percent: previous?.percent ?? 100, shadow: previous?.shadow ?? false }, by, now);
  }
  const saved = await context.store.save(next);
  const verb = command.kind === 'set' ? 'set' : 'rolled back';
  return [
    `${saved.useCase}: ${describeRollout(previous)} → ${describeRollout(saved)} (${verb}${saved.updatedBy ? ` by ${saved.updatedBy}` : ''})`,
    `Running apps pick this up within ROLLOUT_REFRESH_MS (${context.refreshMs ? `${context.refreshMs} ms here` : 'default 1000 ms'}), without a restart.`,
  ];
}

function listLine(r: Rollout): string {
  return `${r.useCase.padEnd(24)} ${describeRollout(r).padEnd(24)} updated ${r.updatedAt.toISOString()}${r.updatedBy ? ` by ${r.updatedBy}` : ''}`;
}

function defaultActor(): string | null {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return process.env.USER ? `cli:${process.env.USER}` : 'cli';
  }
}

async function main(): Promise<void> {
  let command: RolloutCliCommand;
  try {
    command = parseRolloutArgs(process.argv.slice(2));
  } catch (error) {
    return usage(error);
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfigOrExit(process.env, { service: 'rollout', sections: ['mongo'] });
  const client = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000, writeConcern: { w: 'majority', journal: true } });
  try {
    await client.connect();
    const store = new RolloutCollectionStore(client.db().collection<RolloutDocument>(ROLLOUTS_COLLECTION), (message) => process.stderr.write(`warning: ${message}\n`));
    const lines = await runRolloutCommand(command, { store, defaultActor: defaultActor(), refreshMs: process.env.ROLLOUT_REFRESH_MS });
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    if (isDomainError(error)) return usage(error);
    throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function usage(error: unknown): never {
  process.stderr.write(`rollout: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(EX_USAGE);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`rollout failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
