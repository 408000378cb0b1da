// The architecture as a check (part of `npm run lint` and the static test tier): src/ is a house
// of floors, and every import points down or stays on its floor; no file imports itself back
// through a cycle (type-only imports count: they are still a knot for a reader).
//
//   wiring     src/extension.ts, commandTable.ts, api.ts, testing.ts
//   features   src/create, src/enter, src/pins, src/language, src/examples (never each other), src/cli, src/webview-ui
//   shared     src/shared: VS Code helpers without feature logic
//   host       src/host: processes, files, Nix; Node only
//   core       src/core: pure
// Special rooms: webview-ui (the browser) sees only core; cli sees only
// core and host; language/server.ts (its own process) sees only core.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const src = join(root, 'src');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of a file (import, export … from, import()), resolved to files. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  )) {
    const spec = match[1] ?? match[2];
    const base = resolve(dirname(file), spec);
    const target = [base, `${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
    if (target !== undefined && target.startsWith(src)) found.push(target);
  }
  return found;
}

const WIRING = new Set(['extension.ts', 'commandTable.ts', 'api.ts', 'testing.ts']);
const FEATURES = ['create', 'enter', 'pins', 'language', 'examples', 'cli', 'webview-ui'];

/** { floor, room } of a file: floor ranks (higher may import lower), room names a feature. */
function placeOf(file) {
  const rel = relative(src, file);
  const [top] = rel.split('/');
  if (!rel.includes('/')) return WIRING.has(rel) ? { floor: 4, room: 'wiring' } : { floor: -1, room: `unplaced ${rel}` };
  if (FEATURES.includes(top)) return { floor: 3, room: top };
  if (top === 'shared') return { floor: 2, room: 'shared' };
  if (top === 'host') return { floor: 1, room: 'host' };
  if (top === 'core') return { floor: 0, room: 'core' };
  return { floor: -1, room: `unplaced ${top}/` };
}

/** Rooms with a narrower view than their floor allows. */
function allowedNarrowly(fromRel, from, to) {
  if (from.room === 'webview-ui') return to.room === 'core' || to.room === 'webview-ui';
  if (from.room === 'cli') return ['core', 'host', 'cli'].includes(to.room);
  if (fromRel === 'language/server.ts') return to.room === 'core';
  return true;
}

const problems = [];
const graph = new Map();
for (const file of files(src)) {
  const from = placeOf(file);
  const fromRel = relative(src, file);
  if (from.floor < 0) problems.push(`${fromRel}: not on a floor (${from.room}); see scripts/check-architecture.mjs`);
  const targets = importsOf(file);
  graph.set(file, targets);
  for (const target of targets) {
    const to = placeOf(target);
    const toRel = relative(src, target);
    if (to.floor > from.floor) problems.push(`${fromRel} → ${toRel}: imports upward (${from.room} is below ${to.room})`);
    else if (to.floor === 3 && from.floor === 3 && to.room !== from.room)
      problems.push(`${fromRel} → ${toRel}: one feature imports another (${from.room} → ${to.room}); wire them in extension.ts`);
    else if (!allowedNarrowly(fromRel, from, to))
      problems.push(
        `${fromRel} → ${toRel}: ${from.room === 'cli' ? 'the CLI runs without VS Code' : fromRel === 'language/server.ts' ? 'the language server is its own process' : 'webview code runs in the browser'}`,
      );
  }
}

// Cycles: Tarjan's strongly connected components.
let index = 0;
const stack = [];
const meta = new Map();
function connect(node) {
  const m = { index, low: index, onStack: true };
  meta.set(node, m);
  index++;
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (!meta.has(next)) {
      connect(next);
      m.low = Math.min(m.low, meta.get(next).low);
    } else if (meta.get(next).onStack) m.low = Math.min(m.low, meta.get(next).index);
  }
  if (m.low === m.index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      meta.get(member).onStack = false;
      component.push(relative(src, member));
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) problems.push(`import cycle: ${component.reverse().join(' → ')}`);
  }
}
for (const node of graph.keys()) if (!meta.has(node)) connect(node);

if (problems.length > 0) {
  console.error(`architecture: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `architecture: ${graph.size} files, ${[...graph.values()].reduce((n, t) => n + t.length, 0)} imports, no cycle, every import points down`,
);
