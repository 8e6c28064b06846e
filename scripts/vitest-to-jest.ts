/**
 * Codemod: moves test files written for Vitest onto Jest (`@jest/globals`, tests/jest/globals.js).
 *
 *   npx tsx scripts/vitest-to-jest.ts            every *.test.ts tracked by git (and untracked ones)
 *   npx tsx scripts/vitest-to-jest.ts <files…>   only these
 *
 * Only files that still import from 'vitest' are touched, so running it again changes nothing.
 * In such a file it
 * - imports the same names from '@jest/globals' instead of 'vitest';
 * - turns `describe.skipIf(c)(…)` into `(c ? describe.skip : describe)(…)` (and `runIf`, and on `it`/`test`);
 * - turns `describe(name, { timeout: ms }, fn)` into `describe(name, fn)` with `ms` given to each test
 *   directly inside that has no timeout of its own (Jest has no timeout on a block);
 * - turns `expect(value, message).matcher(…)` into `withMessage(message, () => expect(value).matcher(…))`
 *   (Jest's expect takes one argument; `withMessage`, from the common test kit, puts the message first
 *   in the failure; `await withMessage(message, async () => …)` when the value or the matcher's arguments
 *   await something) and imports `withMessage`.
 * Hook and test timeouts need nothing: tests/jest/globals.js gives Vitest's defaults (60 s a test, 120 s a
 * hook). What has no mechanical Jest form is reported with its line and the file is left unchanged: `vi.*`,
 * names Jest does not have, block options other than `timeout`. The exit code is 1 when anything was
 * reported.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const JEST_GLOBALS = new Set(['describe', 'it', 'test', 'expect', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach']);
const SUITES = new Set(['describe', 'it', 'test']);
const TESTS = new Set(['it', 'test']);
const KIT = '@moral-registry/common/testing';
const KIT_FILE = 'packages/common/src/testing.ts';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Where `withMessage` comes from, seen from `fileName`: a relative path inside packages/common. */
function kitSpecifier(fileName: string): string {
  const relative = path.relative(path.dirname(path.resolve(fileName)), path.resolve(KIT_FILE));
  if (!path.resolve(fileName).startsWith(path.resolve('packages/common') + path.sep)) return KIT;
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** The callee name of a test call (`it(…)`, `it.each(…)(…)`, `test(…)`), or null. */
function testCallee(call: ts.CallExpression): string | null {
  const callee = call.expression;
  if (ts.isIdentifier(callee) && TESTS.has(callee.text)) return callee.text;
  if (
    ts.isCallExpression(callee) &&
    ts.isPropertyAccessExpression(callee.expression) &&
    ts.isIdentifier(callee.expression.expression) &&
    TESTS.has(callee.expression.expression.text) &&
    callee.expression.name.text === 'each'
  ) {
    return `${callee.expression.expression.text}.each`;
  }
  return null;
}

/** Whether `node` awaits something itself (not inside a function of its own). */
function hasAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, hasAwait) ?? false;
}

/** The converted text of one file, or the problems that stop its conversion. */
export function convert(fileName: string, text: string): { text: string; problems: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const vitestImports = source.statements.filter(
    (s): s is ts.ImportDeclaration =>
      ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === 'vitest',
  );
  if (vitestImports.length === 0) return { text, problems: [] };

  const edits: Edit[] = [];
  const problems: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  let needsKit = false;

  for (const declaration of vitestImports) {
    const names = declaration.importClause?.namedBindings;
    if (!names || !ts.isNamedImports(names) || declaration.importClause?.name) {
      problems.push(`${where(declaration)}: import only named bindings from 'vitest'`);
      continue;
    }
    for (const element of names.elements) {
      const name = (element.propertyName ?? element.name).text;
      if (!JEST_GLOBALS.has(name)) problems.push(`${where(element)}: '${name}' has no Jest form here`);
    }
    edits.push({ start: declaration.moduleSpecifier.getStart(), end: declaration.moduleSpecifier.getEnd(), text: `'@jest/globals'` });
  }

  /** `expect(value, message).…(…)` → `withMessage(message, () => expect(value).…(…))`. */
  const withMessage = (call: ts.CallExpression): void => {
    let top: ts.Node = call;
    while (ts.isPropertyAccessExpression(top.parent) && top.parent.expression === top) top = top.parent;
    const matcherCall = top.parent;
    if (top === call || !ts.isCallExpression(matcherCall) || matcherCall.expression !== top) {
      problems.push(`${where(call)}: expect(value, message) not followed by a matcher call`);
      return;
    }
    const [value, message] = call.arguments.map((a) => a.getText(source)) as [string, string];
    if (call.arguments.length > 2) problems.push(`${where(call)}: expect with more than two arguments`);
    const chain = text.slice(call.getEnd(), matcherCall.getEnd());
    // An `await` in the value or the matcher's arguments: the assertion becomes an async function, awaited.
    const awaits = hasAwait(call.arguments[0]!) || matcherCall.arguments.some(hasAwait);
    edits.push({
      start: matcherCall.getStart(),
      end: matcherCall.getEnd(),
      text: `${awaits ? 'await ' : ''}withMessage(${message}, ${awaits ? 'async ' : ''}() => expect(${value})${chain})`,
    });
    needsKit = true;
  };

  /** `describe(name, { timeout }, fn)` → `describe(name, fn)`, the timeout on each test directly inside. */
  const blockOptions = (call: ts.CallExpression): void => {
    const [, options, body] = call.arguments as unknown as [ts.Expression, ts.ObjectLiteralExpression, ts.Expression];
    const timeout = options.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'timeout',
    );
    if (!timeout || options.properties.length !== 1) {
      problems.push(`${where(call)}: options on a block other than { timeout } — no Jest form`);
      return;
    }
    if (!ts.isArrowFunction(body) && !ts.isFunctionExpression(body)) {
      problems.push(`${where(call)}: the block's body is not a function literal`);
      return;
    }
    edits.push({ start: options.getStart(), end: body.getStart(), text: '' });
    const ms = timeout.initializer.getText(source);
    const inner = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && testCallee(node) && node.arguments.length === 2) {
        edits.push({ start: node.arguments[1]!.getEnd(), end: node.arguments[1]!.getEnd(), text: `, ${ms}` });
      }
      // Tests of nested blocks too; a nested block's own options are handled when it is visited.
      ts.forEachChild(node, inner);
    };
    ts.forEachChild(body, inner);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      // describe.skipIf(c)(…) / it.runIf(c)(…): the callee is itself a call of a property.
      if (
        ts.isCallExpression(callee) &&
        ts.isPropertyAccessExpression(callee.expression) &&
        ts.isIdentifier(callee.expression.expression) &&
        SUITES.has(callee.expression.expression.text) &&
        ['skipIf', 'runIf'].includes(callee.expression.name.text) &&
        callee.arguments.length === 1
      ) {
        const suite = callee.expression.expression.text;
        const condition = callee.arguments[0]!.getText(source);
        const [whenTrue, whenFalse] = callee.expression.name.text === 'skipIf' ? [`${suite}.skip`, suite] : [suite, `${suite}.skip`];
        edits.push({ start: callee.getStart(), end: callee.getEnd(), text: `(${condition} ? ${whenTrue} : ${whenFalse})` });
      }
      if (ts.isIdentifier(callee) && callee.text === 'expect' && node.arguments.length > 1) withMessage(node);
      if (
        ts.isIdentifier(callee) &&
        callee.text === 'describe' &&
        node.arguments.length === 3 &&
        ts.isObjectLiteralExpression(node.arguments[1]!)
      ) {
        blockOptions(node);
      }
      if ((ts.isIdentifier(callee) && TESTS.has(callee.text)) || testCallee(node)) {
        if (node.arguments.length === 3 && ts.isObjectLiteralExpression(node.arguments[1]!)) {
          problems.push(`${where(node)}: test(name, options, fn) — give the timeout as the third argument`);
        }
      }
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'vi') {
        problems.push(`${where(node)}: vi.${callee.name.text} — no mechanical Jest form`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  if (needsKit) {
    const specifier = kitSpecifier(fileName);
    const kitImport = source.statements.find(
      (s): s is ts.ImportDeclaration =>
        ts.isImportDeclaration(s) &&
        ts.isStringLiteral(s.moduleSpecifier) &&
        s.moduleSpecifier.text === specifier &&
        !s.importClause?.isTypeOnly &&
        !!s.importClause?.namedBindings &&
        ts.isNamedImports(s.importClause.namedBindings),
    );
    const bindings = kitImport?.importClause?.namedBindings as ts.NamedImports | undefined;
    if (bindings && !bindings.elements.some((e) => e.name.text === 'withMessage')) {
      const last = bindings.elements[bindings.elements.length - 1]!;
      edits.push({ start: last.getEnd(), end: last.getEnd(), text: ', withMessage' });
    } else if (!bindings) {
      const after = vitestImports[vitestImports.length - 1]!;
      edits.push({ start: after.getEnd(), end: after.getEnd(), text: `\nimport { withMessage } from '${specifier}';` });
    }
  }

  if (problems.length) return { text, problems };
  let out = text;
  // Later edits first; an insertion at the same place as a replacement's end goes after it.
  for (const edit of edits.sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: out, problems };
}

function testFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.test.ts'], { encoding: 'utf8' });
  return listed.split('\n').filter(Boolean);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : testFiles();
  let changed = 0;
  const problems: string[] = [];
  for (const file of files) {
    const before = readFileSync(file, 'utf8');
    const result = convert(file, before);
    problems.push(...result.problems);
    if (result.text !== before) {
      writeFileSync(file, result.text);
      changed += 1;
      console.log(`converted ${file}`);
    }
  }
  console.log(`${changed} of ${files.length} test files converted`);
  if (problems.length) {
    console.error(`Not converted, fix by hand and run again:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}
