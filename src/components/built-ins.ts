// The components that ship with CS Helper, in catalogue order.
import { iocMatch } from './analysis/ioc-match.js';
import { patternAnalysis } from './analysis/patterns.js';
import { statisticsAnalysis } from './analysis/statistics.js';
import type { AnyComponent } from './component.js';
import { csvExport } from './export/csv.js';
import { jsonExport } from './export/json.js';
import { reportExport } from './export/report.js';
import { csvImport } from './import/csv.js';
import { excelImport } from './import/excel.js';
import { jsonImport } from './import/json.js';
import { logImport } from './import/log.js';
import { enrichment } from './processing/enrich.js';
import { ComponentRegistry } from './registry.js';
import { qualityCheck } from './validation/quality.js';

export const BUILT_IN_COMPONENTS: readonly AnyComponent[] = [
  csvImport,
  jsonImport,
  excelImport,
  logImport,
  qualityCheck,
  statisticsAnalysis,
  patternAnalysis,
  iocMatch,
  enrichment,
  csvExport,
  jsonExport,
  reportExport,
];

export function createBuiltInRegistry(): ComponentRegistry {
  const registry = new ComponentRegistry();
  for (const component of BUILT_IN_COMPONENTS) registry.register(component);
  return registry;
}
