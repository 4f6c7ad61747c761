import { z } from 'zod';
import { AppConfig, ConfigSection, LOCAL_DEFAULTS, baseSchema, sections } from './config.schema';

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Set these environment variables (see the Configuration table in README.md) and start again.',
    );
    this.name = 'ConfigValidationError';
  }
}

export interface LoadConfigOptions<S extends ConfigSection> {
  service: string;
  sections: readonly S[];
  /** Default port when PORT is not set; each app has its own so all three can run on one machine. */
  defaultPort?: number;
}

/**
 * Validates the environment once, at the edge. Outside production, the addresses of the
 * project's own local servers are filled in so `npm start` works with no setup; in production
 * every variable must be given explicitly.
 */
export function loadConfig<S extends ConfigSection>(
  env: NodeJS.ProcessEnv,
  options: LoadConfigOptions<S>,
): AppConfig<S> {
  const production = env.NODE_ENV === 'production';
  const input: Record<string, string | undefined> = { ...(production ? {} : LOCAL_DEFAULTS), ...pickDefined(env) };
  input.SERVICE_NAME ??= options.service;
  if (input.PORT === undefined && options.defaultPort !== undefined) input.PORT = String(options.defaultPort);
  // Blank values are treated as unset so `FOO=` in a shell does not pass for a value.
  for (const key of Object.keys(input)) if (input[key] === '') delete input[key];

  const schema = options.sections.reduce<z.ZodTypeAny>(
    (acc, section) => z.intersection(acc, sections[section]),
    baseSchema,
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigValidationError(result.error.issues.map((issue) => describeIssue(issue, input)));
  }
  return Object.freeze(result.data) as AppConfig<S>;
}

function describeIssue(issue: z.ZodIssue, input: Record<string, string | undefined>): string {
  const name = issue.path.join('.') || '(environment)';
  const given = input[name];
  const missing = issue.code === z.ZodIssueCode.invalid_type && given === undefined;
  if (missing) return `${name}: is required but not set`;
  return `${name}: ${issue.message}`;
}

function pickDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** For main.ts: print the problems and exit non-zero, without a stack trace. */
export function loadConfigOrExit<S extends ConfigSection>(
  env: NodeJS.ProcessEnv,
  options: LoadConfigOptions<S>,
): AppConfig<S> {
  try {
    return loadConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`[${options.service}] ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
