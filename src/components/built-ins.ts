// The components that ship with CS Helper, in catalogue order.
import { iocMatch } from './analysis/ioc-match.js';
import { sigmaAnalysis } from './analysis/sigma.js';
import { patternAnalysis } from './analysis/patterns.js';
import { statisticsAnalysis } from './analysis/statistics.js';
import type { AnyComponent } from './component.js';
import { csvExport } from './export/csv.js';
import { jsonExport } from './export/json.js';
import { navigatorExport } from './export/navigator.js';
import { reportExport } from './export/report.js';
import { csvImport } from './import/csv.js';
import { excelImport } from './import/excel.js';
import { jsonImport } from './import/json.js';
import { logImport } from './import/log.js';
import { classification } from './processing/classify.js';
import { enrichment } from './processing/enrich.js';
import { attackMapping } from './integration/attack.js';
import { transformation } from './processing/transform.js';
import { ComponentRegistry } from './registry.js';
import { qualityCheck } from './validation/quality.js';
import { rulesValidation } from './validation/rules.js';
import { schemaValidation } from './validation/schema.js';

export const BUILT_IN_COMPONENTS: readonly AnyComponent[] = [
  csvImport,
  jsonImport,
  excelImport,
  logImport,
  transformation,
  qualityCheck,
  schemaValidation,
  rulesValidation,
  statisticsAnalysis,
  patternAnalysis,
  iocMatch,
  sigmaAnalysis,
  classification,
  enrichment,
  attackMapping,
  csvExport,
  jsonExport,
  reportExport,
  navigatorExport,
];

export function createBuiltInRegistry(): ComponentRegistry {
  const registry = new ComponentRegistry();
  for (const component of BUILT_IN_COMPONENTS) registry.register(component);
  return registry;
}
