// Capabilities: what a component can do for a problem. The planner asks for capabilities, the registry answers with components.
import { z } from 'zod';

export const Capability = {
  importCsv: 'import-csv',
  importJson: 'import-json',
  importExcel: 'import-excel',
  importLog: 'import-log',
  dataQuality: 'data-quality',
  schemaValidation: 'schema-validation',
  ruleValidation: 'rule-validation',
  statistics: 'statistics',
  anomalyDetection: 'anomaly-detection',
  iocMatching: 'ioc-matching',
  sigmaDetection: 'sigma-detection',
  enrichment: 'enrichment',
  threatScoring: 'threat-scoring',
  mlClassification: 'ml-classification',
  transformation: 'transformation',
  attackMapping: 'attack-mapping',
  exportCsv: 'export-csv',
  exportJson: 'export-json',
  reportMarkdown: 'report-md',
  reportHtml: 'report-html',
  navigatorLayer: 'navigator-layer',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];
export const capabilitySchema = z.enum(Capability);
