import type * as Jose from 'jose';

/**
 * jose 6 ships as ES modules only. The built apps run on Node ≥ 20.19, whose `require` loads ES
 * modules natively, but the Jest runtime replaces `require` (and `module.createRequire`) with
 * its own CommonJS loader, which cannot. Asking Node's own loader through
 * `process.getBuiltinModule` works in both, so the apps and their tests use the same library.
 */
function loadJose(): typeof Jose {
  const nodeModule = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:module') : undefined;
  const load = nodeModule ? nodeModule.createRequire(__filename) : require;
  return load('jose') as typeof Jose;
}

export const jose = loadJose();
