import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/components/processing/expression/compile.js';
import { MAX_DEPTH, parseExpression } from '../../../src/components/processing/expression/parse.js';
import { MAX_EXPRESSION_LENGTH, tokenize } from '../../../src/components/processing/expression/tokenize.js';
import { TransformError } from '../../../src/model/errors/transform-error.js';

const COLUMNS = ['bytes', 'action', 'Domain', 'id.orig_h', 'src ip'];

function refusal(source: string): TransformError {
  try {
    compileExpression(source, COLUMNS, 'filter');
  } catch (error) {
    if (error instanceof TransformError) return error;
    throw error;
  }
  throw new Error(`expected '${source.slice(0, 40)}' to be refused`);
}

describe('the transform expression language', () => {
  it('tokenizes numbers, text, dotted and quoted names with their positions', () => {
    expect(tokenize("id.orig_h == 'a''b' and \"src ip\" >= 1.5e3", 'filter').map((t) => [t.kind, t.text, t.at])).toEqual([
      ['name', 'id.orig_h', 0],
      ['operator', '==', 10],
      ['string', "a'b", 13],
      ['name', 'and', 20],
      ['quoted-name', 'src ip', 24],
      ['operator', '>=', 33],
      ['number', '1.5e3', 36],
      ['end', '', 41],
    ]);
  });

  it('parses with the usual precedence: and binds tighter than or, * tighter than +', () => {
    expect(compileExpression("bytes + 2 * 3 > 10 or action = 'deny' and not bytes is null", COLUMNS, 'filter').sql).toBe(
      `((("bytes" + (2 * 3)) > 10) OR (("action" = 'deny') AND (NOT ("bytes" IS NULL))))`,
    );
  });

  it('compiles in, like, between and allowed functions to SQL with quoted names and literals', () => {
    expect(compileExpression("action not in ('allow', 'drop')", COLUMNS, 'filter').sql).toBe(`("action" NOT IN ('allow', 'drop'))`);
    expect(compileExpression("domain like '%.ru'", COLUMNS, 'filter').sql).toBe(`(CAST("Domain" AS VARCHAR) LIKE '%.ru')`);
    expect(compileExpression('bytes between 10 and 20', COLUMNS, 'filter').sql).toBe(`("bytes" BETWEEN 10 AND 20)`);
    expect(compileExpression("lower(\"src ip\") != 'x'", COLUMNS, 'filter')).toEqual({ sql: `(lower(CAST("src ip" AS VARCHAR)) <> 'x')`, columns: ['src ip'] });
    expect(compileExpression("ends_with(domain, '.ru')", COLUMNS, 'filter').sql).toBe(`suffix(CAST("Domain" AS VARCHAR), '.ru')`);
  });

  it('quotes text so that a quote in it cannot end the literal', () => {
    expect(compileExpression("action == 'x'' OR 1=1 --'", COLUMNS, 'filter').sql).toBe(`("action" = 'x'' OR 1=1 --')`);
  });

  it('refuses statements, subqueries, comments and functions outside the allow-list, with the position', () => {
    expect(refusal('bytes > 1; DROP TABLE t')).toMatchObject({ code: 'transform-not-allowed', message: 'processing.transform filter: a semicolon at character 10' });
    expect(refusal('bytes > (SELECT max(bytes) FROM t)')).toMatchObject({ code: 'transform-syntax', message: 'processing.transform filter: expected ), found "max" at character 17' });
    expect(refusal("read_csv('/etc/passwd') is null")).toMatchObject({ code: 'transform-unknown-function', message: "processing.transform filter: unknown function 'read_csv' at character 1" });
    expect(refusal("system('rm -rf /')")).toMatchObject({ code: 'transform-unknown-function' });
    expect(refusal('bytes /* x */ > 1')).toMatchObject({ code: 'transform-not-allowed', message: 'processing.transform filter: a comment (/*) at character 7' });
    expect(refusal('bytes > 1 -- x')).toMatchObject({ code: 'transform-not-allowed' });
    expect(refusal('bytes > 1 `x`')).toMatchObject({ code: 'transform-syntax', message: 'processing.transform filter: unexpected character "`" at character 11' });
    expect(refusal('lower(bytes, 2)')).toMatchObject({ code: 'transform-bad-argument', message: 'processing.transform filter: lower() takes 1 argument, given 2' });
    expect(refusal(`matches(action, '${'a'.repeat(300)}')`)).toMatchObject({ code: 'transform-bad-argument' });
  });

  it('bounds nesting, length and literals', () => {
    // 10,000 levels of parentheses: refused by length before any recursion.
    const deep = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    expect(refusal(deep)).toMatchObject({ code: 'transform-too-complex', message: `processing.transform filter: the expression has 20001 characters; at most ${MAX_EXPRESSION_LENGTH}` });
    // Within the length: refused by the token count, then by depth.
    expect(refusal(`${'('.repeat(500)}1${')'.repeat(500)}`).message).toBe('processing.transform filter: the expression has more than 400 tokens');
    expect(refusal(`${'('.repeat(MAX_DEPTH + 2)}1${')'.repeat(MAX_DEPTH + 2)}`).message).toBe(`processing.transform filter: the expression nests deeper than ${MAX_DEPTH} levels`);
    expect(refusal(`${'not '.repeat(MAX_DEPTH + 2)}true`).code).toBe('transform-too-complex');
    expect(refusal(`${'- '.repeat(MAX_DEPTH + 2)}1`).code).toBe('transform-too-complex');
    expect(refusal(`bytes > ${'9'.repeat(41)}`).message).toBe('processing.transform filter: the number at character 9 has 41 characters; at most 40');
    expect(refusal('bytes > 1e400').message).toBe('processing.transform filter: the number at character 9 is too large');
    expect(parseExpression(`${'('.repeat(MAX_DEPTH - 1)}1${')'.repeat(MAX_DEPTH - 1)}`, 'filter')).toEqual({ kind: 'literal', value: '1', type: 'number' });
  });

  it('resolves names case-insensitively when unambiguous, and names the nearest column otherwise', () => {
    expect(compileExpression('DOMAIN is not null', COLUMNS, 'filter').columns).toEqual(['Domain']);
    const error = refusal('byts > 1');
    expect(error).toMatchObject({ code: 'transform-unknown-column', column: 'byts', message: "processing.transform filter: unknown column 'byts'; did you mean 'bytes'?" });
    expect(error.hint).toBe('the columns are: bytes, action, Domain, id.orig_h, src ip');
    expect(refusal('zzzzzz > 1').message).toBe("processing.transform filter: unknown column 'zzzzzz'");
  });
});
