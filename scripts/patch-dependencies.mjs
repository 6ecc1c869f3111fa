// Small, exact source patches to pinned dependencies, applied by `npm install` (postinstall) and
// idempotent. Each one names the package version it was written for and the text it replaces; when
// either differs (an upgrade), it is skipped with a warning and tests/patches.test.ts fails, so an
// upgrade cannot silently lose it. ADR 0013 says why each exists.
//
//   node scripts/patch-dependencies.mjs          apply (prints what it did)
//   node scripts/patch-dependencies.mjs --check  exit 1 unless every patch is in place
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Route matching in React Router 6 / Remix 2 flattens, ranks and compiles every route on every
 * request (three times per document request). React Router 7 caches the ranked branches since
 * remix-run/react-router#14967; these patches do the same for the server's CommonJS builds.
 */
export const PATCHES = [
  {
    name: 'router: ranked route branches computed once per route tree',
    pkg: '@remix-run/router',
    version: '1.23.3',
    file: 'dist/router.cjs.js',
    edits: [
      {
        find: '  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n  let matches = null;',
        replace: [
          '  let shanhaiByPath = shanhaiMatchCache.get(routes);',
          '  if (!shanhaiByPath) shanhaiMatchCache.set(routes, (shanhaiByPath = new Map()));',
          '  let shanhaiKey = (allowPartial ? "p" : "f") + pathname;',
          '  let shanhaiHit = shanhaiByPath.get(shanhaiKey);',
          '  if (shanhaiHit !== undefined) return shanhaiCopyMatches(shanhaiHit);',
          '  let branches = shanhaiRankedBranches(routes);',
          '  let matches = null;',
        ].join('\n'),
      },
      {
        find: '    matches = matchRouteBranch(branches[i], decoded, allowPartial);\n  }\n  return matches;\n}\n',
        replace: [
          '    matches = matchRouteBranch(branches[i], decoded, allowPartial);',
          '  }',
          '  if (shanhaiByPath.size >= 2000) shanhaiByPath.clear();',
          '  shanhaiByPath.set(shanhaiKey, shanhaiCopyMatches(matches));',
          '  return matches;',
          '}',
          '// shanhai-patch: the matches of a pathname, remembered per route tree (at most 2,000 pathnames,',
          '// then forgotten). Callers get copies: fresh match objects sharing one fresh params object, as',
          '// matchRouteBranch builds them.',
          'let shanhaiMatchCache = new WeakMap();',
          'function shanhaiCopyMatches(matches) {',
          '  if (matches === null) return null;',
          '  let params = matches.length ? { ...matches[0].params } : {};',
          '  return matches.map(m => ({ ...m, params }));',
          '}',
          '',
        ].join('\n'),
      },
      {
        find: 'function flattenRoutes(routes, branches, parentsMeta, parentPath) {',
        replace: [
          '// shanhai-patch: ranked branches per route array (route trees do not change on the server;',
          '// patchRoutesImpl, which grows them on the client, starts a new cache).',
          'let shanhaiBranchCache = new WeakMap();',
          'function shanhaiRankedBranches(routes) {',
          '  let branches = shanhaiBranchCache.get(routes);',
          '  if (!branches) {',
          '    branches = flattenRoutes(routes);',
          '    rankRouteBranches(branches);',
          '    shanhaiBranchCache.set(routes, branches);',
          '  }',
          '  return branches;',
          '}',
          'function flattenRoutes(routes, branches, parentsMeta, parentPath) {',
        ].join('\n'),
      },
      {
        find: 'function patchRoutesImpl(routeId, children, routesToUse, manifest, mapRouteProperties) {\n',
        replace:
          'function patchRoutesImpl(routeId, children, routesToUse, manifest, mapRouteProperties) {\n  shanhaiBranchCache = new WeakMap();\n  shanhaiMatchCache = new WeakMap();\n',
      },
      {
        find: 'function compilePath(path, caseSensitive, end) {',
        replace: [
          '// shanhai-patch: a route pattern compiles to the same RegExp every time (bounded cache).',
          'const shanhaiPathCache = new Map();',
          'function compilePath(path, caseSensitive, end) {',
          '  const key = path + "\\u0000" + (caseSensitive === true) + "\\u0000" + (end !== false);',
          '  let compiled = shanhaiPathCache.get(key);',
          '  if (!compiled) {',
          '    compiled = compilePathUncached(path, caseSensitive, end);',
          '    if (shanhaiPathCache.size < 2000) shanhaiPathCache.set(key, compiled);',
          '  }',
          '  return compiled;',
          '}',
          'function compilePathUncached(path, caseSensitive, end) {',
        ].join('\n'),
      },
    ],
  },
  {
    // A loader's json() Response was turned back into data by reading its web stream and decoding the
    // bytes (~4 % of a product page's server CPU): the JSON text it was made from is parsed instead.
    // The same text, the same JSON.parse: the data are identical, and the Response is left unread.
    name: 'router: loader JSON parsed from its text, not read back from the Response stream',
    pkg: '@remix-run/router',
    version: '1.23.3',
    file: 'dist/router.cjs.js',
    edits: [
      {
        find: '  return new Response(JSON.stringify(data), _extends({}, responseInit, {\n    headers\n  }));\n};\n',
        replace: [
          '  let shanhaiText = JSON.stringify(data);',
          '  let shanhaiResponse = new Response(shanhaiText, _extends({}, responseInit, {',
          '    headers',
          '  }));',
          '  shanhaiJsonText.set(shanhaiResponse, shanhaiText);',
          '  return shanhaiResponse;',
          '};',
          '// shanhai-patch: the JSON text of each json() Response (read by convertDataStrategyResultToDataResult)',
          'const shanhaiJsonText = new WeakMap();',
          '',
        ].join('\n'),
      },
      {
        find: '          data = await result.json();',
        replace: '          data = shanhaiJsonText.has(result) && !result.bodyUsed ? JSON.parse(shanhaiJsonText.get(result)) : await result.json();',
      },
    ],
  },
  {
    name: 'remix react: server routes built once per build, not per render',
    pkg: '@remix-run/react',
    version: '2.17.5',
    file: 'dist/server.js',
    edits: [
      {
        find: '  let routes$1 = routes.createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);',
        replace: '  let routes$1 = shanhaiServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);',
      },
      {
        find: 'function RemixServer({',
        replace: [
          '// shanhai-patch: createServerRoutes is a pure function of the build (the route manifest and the',
          '// route modules; the routeModules object itself is made afresh per request): keep its result.',
          'const shanhaiServerRoutesCache = new WeakMap();',
          'function shanhaiServerRoutes(manifestRoutes, routeModules, future, isSpaMode) {',
          '  let hit = shanhaiServerRoutesCache.get(manifestRoutes);',
          '  let same = hit !== undefined && hit.isSpaMode === isSpaMode;',
          '  if (same) for (let id in hit.modules) if (routeModules[id] !== hit.modules[id]) { same = false; break; }',
          '  if (!same) {',
          '    hit = { modules: { ...routeModules }, isSpaMode, routes: routes.createServerRoutes(manifestRoutes, routeModules, future, isSpaMode) };',
          '    shanhaiServerRoutesCache.set(manifestRoutes, hit);',
          '  }',
          '  return hit.routes;',
          '}',
          'function RemixServer({',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'react-router-dom server: data routes of a static router converted once per route tree',
    pkg: 'react-router-dom',
    version: '6.30.4',
    file: 'server.js',
    edits: [
      {
        find: '  let manifest = {};\n  let dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);\n',
        replace: [
          '  // shanhai-patch: the conversion is pure; the same route tree gives the same data routes',
          '  let converted = shanhaiDataRoutesCache.get(routes);',
          '  if (!converted) {',
          '    converted = { manifest: {} };',
          '    converted.dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, converted.manifest);',
          '    shanhaiDataRoutesCache.set(routes, converted);',
          '  }',
          '  let { manifest, dataRoutes } = converted;',
          '',
        ].join('\n'),
      },
      {
        find: 'function createStaticRouter(routes, context, opts = {}) {',
        replace: 'const shanhaiDataRoutesCache = new WeakMap();\nfunction createStaticRouter(routes, context, opts = {}) {',
      },
    ],
  },
];

/** The line a patched file carries for each patch in it (several patches may change one file). */
const markOf = (patch) => `/* shanhai-patched: ${patch.name} */\n`;

/** @returns {{ name: string, state: 'applied' | 'already' | 'skipped', why?: string }} */
export function applyPatch(patch, { write = true } = {}) {
  const dir = path.join(root, 'node_modules', patch.pkg);
  let version;
  try {
    version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return { name: patch.name, state: 'skipped', why: `${patch.pkg} is not installed` };
  }
  if (version !== patch.version) return { name: patch.name, state: 'skipped', why: `${patch.pkg} is ${version}, the patch is for ${patch.version}` };
  const file = path.join(dir, patch.file);
  let src = fs.readFileSync(file, 'utf8');
  const mark = markOf(patch);
  if (src.includes(mark)) return { name: patch.name, state: 'already' };
  for (const edit of patch.edits) {
    const at = src.indexOf(edit.find);
    if (at < 0 || src.indexOf(edit.find, at + 1) >= 0) {
      return { name: patch.name, state: 'skipped', why: `${patch.file}: the text to replace is ${at < 0 ? 'missing' : 'not unique'}: ${JSON.stringify(edit.find.slice(0, 60))}` };
    }
    src = src.slice(0, at) + edit.replace + src.slice(at + edit.find.length);
  }
  // after "use strict" when there is one, so the file's mode does not change
  src = src.replace(/^((?:\/\*[\s\S]*?\*\/\s*)?(?:'use strict';\n)?)/, `$1${mark}`);
  if (write) fs.writeFileSync(file, src);
  return { name: patch.name, state: 'applied' };
}

/** Apply every patch; says what it did through `log`. Returns the patches that could not be applied. */
export function applyPatches(log = console.log) {
  const skipped = [];
  for (const patch of PATCHES) {
    const result = applyPatch(patch);
    if (result.state === 'skipped') {
      skipped.push(result);
      log(`[patch-dependencies] NOT applied: ${result.name} (${result.why})`);
    } else if (result.state === 'applied') log(`[patch-dependencies] applied: ${result.name}`);
  }
  return skipped;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv.includes('--check')) {
    applyPatches();
  } else {
    let missing = 0;
    for (const patch of PATCHES) {
      const file = path.join(root, 'node_modules', patch.pkg, patch.file);
      const ok = fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(markOf(patch));
      if (!ok) missing++;
      console.log(`${ok ? 'in place' : 'MISSING '}  ${patch.name}`);
    }
    if (missing) process.exit(1);
  }
}
