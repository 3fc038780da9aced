// Every regular expression in src/ is checked for super-linear backtracking (ReDoS) by recheck,
// an analyser independent of the linter's rule: one such pattern on an upload once froze the
// whole server. The expressions are collected from the source by the TypeScript parser, so a new
// one cannot be forgotten; a RegExp built from anything but a literal is refused outright.
import fs from 'node:fs';
import path from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface FoundExpression {
  where: string;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(?:tsx?|js)$/.test(entry.name) ? [full] : [];
  });
}

function expressionsIn(file: string): { found: FoundExpression[]; dynamic: string[] } {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : undefined);
  const found: FoundExpression[] = [];
  const dynamic: string[] = [];
  const where = (node: ts.Node) => `${path.relative(process.cwd(), file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText();
      const end = literal.lastIndexOf('/');
      found.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      const literalText = (arg: ts.Expression | undefined) => arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : null;
      const patternText = literalText(pattern);
      if (patternText === null || (flags && literalText(flags) === null)) dynamic.push(where(node));
      else found.push({ where: where(node), source: patternText, flags: literalText(flags) ?? '' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { found, dynamic };
}

const scanned = sourceFiles(path.resolve('src')).map(expressionsIn);
const expressions = scanned.flatMap((file) => file.found);

describe('regular expressions in src/', () => {
  it('are all literals, so that each one can be checked', () => {
    expect(expressions.length).toBeGreaterThan(30);
    expect(scanned.flatMap((file) => file.dynamic)).toEqual([]);
  });

  it('none can backtrack super-linearly (recheck finds each one safe)', () => {
    const unsafe = expressions.flatMap(({ where, source, flags }) => {
      const diagnostics = checkSync(source, flags, { timeout: 20_000 });
      if (diagnostics.status === 'safe') return [];
      const attack = diagnostics.status === 'vulnerable' ? ` (${diagnostics.complexity.type}, attack ${JSON.stringify(diagnostics.attack.pattern)})` : '';
      return [`${where} /${source}/${flags}: ${diagnostics.status}${attack}`];
    });
    expect(unsafe).toEqual([]);
  });
});
