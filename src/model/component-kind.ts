// Component types and complexity levels, as the guide names them; `as const` objects so ids are typed, not bare strings.
import { z } from 'zod';

export const ComponentType = {
  DATA_IMPORT: 'DATA_IMPORT',
  ANALYSIS: 'ANALYSIS',
  PROCESSING: 'PROCESSING',
  VALIDATION: 'VALIDATION',
  EXPORT: 'EXPORT',
  INTEGRATION: 'INTEGRATION',
} as const;
export type ComponentType = (typeof ComponentType)[keyof typeof ComponentType];
export const componentTypeSchema = z.enum(ComponentType);

export const Complexity = {
  SIMPLE: 'SIMPLE',
  MODERATE: 'MODERATE',
  COMPLEX: 'COMPLEX',
} as const;
export type Complexity = (typeof Complexity)[keyof typeof Complexity];
export const complexitySchema = z.enum(Complexity);

/** What flows between steps: a table, a table of findings, a small JSON summary, or files written. */
export const PortKind = {
  dataset: 'dataset',
  findings: 'findings',
  summary: 'summary',
  artefact: 'artefact',
} as const;
export type PortKind = (typeof PortKind)[keyof typeof PortKind];
export const portKindSchema = z.enum(PortKind);
