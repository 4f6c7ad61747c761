import { InfraError, run } from './proc';

const GO_FIX = 'install Go 1.25 or newer (https://go.dev/dl) and put `go` on PATH, or use Docker (docker-compose.yml)';
const JAVA_FIX = 'install a Java 17+ runtime and Maven 3.8+ (Debian: apt-get install openjdk-17-jre-headless maven), or use Docker';

/** Go tools inherit the user's GOPROXY/GOFLAGS; CGO is off because every server we build is pure Go. */
export function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', ...extra };
}

export async function go(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  const result = await run('go', args, { cwd: options.cwd, env: goEnv(options.env), fix: GO_FIX });
  return result.stdout;
}

export async function requireJava(): Promise<void> {
  await run('java', ['-version'], { fix: JAVA_FIX });
}

export async function maven(args: string[], cwd: string): Promise<void> {
  await run('mvn', args, {
    cwd,
    fix: `${JAVA_FIX}. Maven must reach Maven Central (check ~/.m2/settings.xml for mirrors/proxies)`,
  });
}

export function assertModuleVersion(version: string): void {
  if (!/^v\d+\.\d+\.\d+$/.test(version)) {
    throw new InfraError(`unexpected module version "${version}"`, 'set a semver tag such as v1.8.0');
  }
}
