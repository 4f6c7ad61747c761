/**
 * Production build of the three apps and their libs: SWC transpiles every source file to
 * dist/ (a second or two), rewriting the @libs/* path aliases to relative requires so the
 * output runs with plain `node`. Types are checked separately by `npm run typecheck` (tsc).
 */
import { transformFile, Options } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { readFileSync } from 'node:fs';

const root = resolve(__dirname, '..');
const outDir = join(root, 'dist');
const sourceDirs = ['apps', 'libs'];
const excluded = /(\.spec|\.e2e-spec|\.contract)\.ts$|\.d\.ts$/;

async function listSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'testing' && dir.endsWith('libs') ? [] : listSources(path);
      return entry.name.endsWith('.ts') && !excluded.test(entry.name) ? [path] : [];
    }),
  );
  return nested.flat();
}

function swcOptions(): Options {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  return {
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      baseUrl: root,
      paths: tsconfig.compilerOptions.paths,
    },
    swcrc: false,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  const files = (await Promise.all(sourceDirs.map((d) => listSources(join(root, d))))).flat();
  const options = swcOptions();
  await Promise.all(
    files.map(async (file) => {
      const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      const output = await transformFile(file, { ...options, filename: file, outputPath: target });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, `${output.code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
      if (output.map) await writeFile(`${target}.map`, output.map);
    }),
  );
  process.stdout.write(`built ${files.length} files into dist/ in ${Date.now() - started} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
