// Boolean SQL built with constant folding and a cost estimate, so a rule whose fields the table lacks collapses to
// `false` before the engine sees it, and AND terms run cheapest first. Terms are never NULL (callers guard them):
// that keeps NOT exact and lets the engine short-circuit AND/OR instead of evaluating a coalesce() over everything.

export type SqlBool = { readonly kind: 'const'; readonly value: boolean } | { readonly kind: 'sql'; readonly sql: string; readonly cost: number };

export const TRUE: SqlBool = { kind: 'const', value: true };
export const FALSE: SqlBool = { kind: 'const', value: false };

export function term(sql: string, cost = 1): SqlBool {
  return { kind: 'sql', sql, cost };
}

export function and(items: readonly SqlBool[]): SqlBool {
  const kept: { sql: string; cost: number }[] = [];
  for (const item of items) {
    if (item.kind === 'const') {
      if (!item.value) return FALSE;
      continue;
    }
    kept.push(item);
  }
  if (kept.length === 0) return TRUE;
  // Cheapest first: the engine evaluates later terms only on the rows that passed the earlier ones.
  kept.sort((a, b) => a.cost - b.cost);
  if (kept.length === 1) return kept[0] as SqlBool & { kind: 'sql' };
  return { kind: 'sql', sql: `(${kept.map((k) => k.sql).join(' AND ')})`, cost: kept[0]?.cost ?? 1 };
}

export function or(items: readonly SqlBool[]): SqlBool {
  const kept: { sql: string; cost: number }[] = [];
  for (const item of items) {
    if (item.kind === 'const') {
      if (item.value) return TRUE;
      continue;
    }
    kept.push(item);
  }
  if (kept.length === 0) return FALSE;
  if (kept.length === 1) return kept[0] as SqlBool & { kind: 'sql' };
  return { kind: 'sql', sql: `(${kept.map((k) => k.sql).join(' OR ')})`, cost: kept.reduce((n, k) => n + k.cost, 0) };
}

export function not(item: SqlBool): SqlBool {
  if (item.kind === 'const') return item.value ? FALSE : TRUE;
  return { kind: 'sql', sql: `(NOT ${item.sql})`, cost: item.cost };
}

export function toSql(item: SqlBool): string {
  return item.kind === 'const' ? String(item.value) : item.sql;
}
