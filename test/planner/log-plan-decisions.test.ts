// What the planner tells the session log about the files it read: their columns' roles survive the redaction even when
// a column's name is a secret-looking word (the role is not the column's value).
import { describe, expect, it } from 'vitest';
import { rolesOf } from '../../src/planner/log-plan-decisions.js';
import { redact } from '../../src/session/redact.js';

describe('rolesOf', () => {
  it('lists each column with its role, and the list keeps the roles of columns named password or api_key through redaction', () => {
    const columns = [
      { name: 'src_ip', role: 'ip' },
      { name: 'password', role: 'text' },
      { name: 'api_key', role: 'hash' },
      { name: 'note', role: null },
    ];
    const roles = rolesOf(columns);
    expect(roles).toEqual([
      { column: 'src_ip', role: 'ip' },
      { column: 'password', role: 'text' },
      { column: 'api_key', role: 'hash' },
    ]);
    expect(redact({ roles })).toEqual({ roles });
    // As a map from column name (the former shape), the redaction took the roles for secrets.
    expect(redact({ roles: { password: 'text' } })).toEqual({ roles: { password: '[REDACTED]' } });
  });
});
