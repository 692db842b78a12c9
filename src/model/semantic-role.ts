// The meanings a column can have for security work; components pick columns by role, not by name.
import { z } from 'zod';

export const SemanticRole = {
  ip: 'ip',
  domain: 'domain',
  url: 'url',
  hash: 'hash',
  email: 'email',
  timestamp: 'timestamp',
  port: 'port',
  user: 'user',
  hostname: 'hostname',
  process: 'process',
  label: 'label',
  identifier: 'identifier',
  measure: 'measure',
  category: 'category',
  text: 'text',
} as const;
export type SemanticRole = (typeof SemanticRole)[keyof typeof SemanticRole];
export const semanticRoleSchema = z.enum(SemanticRole);
