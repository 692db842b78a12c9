// The parameter names a component's schema declares, so a plan's unknown parameter (a typo such as `topp`) is refused
// instead of silently dropped by zod's default of stripping unknown keys.
import { z } from 'zod';

/**
 * The declared names of an object schema (also behind a transform), or null when the schema accepts any key (a loose
 * object) or is not an object at all (a plugin's own kind of schema): then there is no list to check against.
 */
export function parameterNames(schema: z.ZodType): readonly string[] | null {
  const object = schema instanceof z.ZodPipe && schema.in instanceof z.ZodObject ? schema.in : schema;
  if (!(object instanceof z.ZodObject)) return null;
  const catchall = object.def.catchall;
  if (catchall !== undefined && !(catchall instanceof z.ZodNever)) return null;
  return Object.keys(object.shape);
}
