// What each negatable word takes out of a plan: "no ML" drops an intent and its capability, "skip the report" drops outputs.
import { Capability } from '../model/capability.js';
import type { Exclusion, Intent } from '../model/problem-profile.js';
import { PhraseIndex } from './phrase-index.js';

export interface ExclusionTarget {
  readonly kind: Exclusion['kind'];
  readonly what: string;
}

const intent = (name: Intent): ExclusionTarget => ({ kind: 'intent', what: name });
const capability = (name: Capability): ExclusionTarget => ({ kind: 'capability', what: name });
/** `output:json` (a format), `output:report` (a kind) or `output:enriched_data` (a name); read by `excludingOutput`. */
const output = (selector: string): ExclusionTarget => ({ kind: 'output', what: `output:${selector}` });

const ML = [intent('ml_classification'), capability(Capability.mlClassification)];
const STATISTICS = [intent('statistics'), capability(Capability.statistics)];
const QUALITY = [intent('data_quality'), capability(Capability.dataQuality)];
const ENRICHMENT = [intent('enrichment'), capability(Capability.enrichment), output('enriched_data')];
const IOC = [capability(Capability.iocMatching)];
const ANOMALY = [capability(Capability.anomalyDetection)];
const ATTACK = [intent('attack_mapping'), capability(Capability.attackMapping), capability(Capability.navigatorLayer)];

const group = (targets: readonly ExclusionTarget[], ...phrases: string[]): [string, readonly ExclusionTarget[]][] => phrases.map((p) => [p, targets]);

export const EXCLUSION_LEXICON = new PhraseIndex<readonly ExclusionTarget[]>([
  ...group(ML, 'ml', 'machine learning', 'ai', 'classification', 'classifier', 'classifiers', 'classify', 'classifying', 'clustering', 'cluster'),
  ...group(ML, 'model', 'models', 'modelling', 'modeling', 'prediction', 'predictions', 'predict', 'categorization', 'categorisation', 'neural'),
  ...group(ML, 'supervised', 'unsupervised'),
  ...group(STATISTICS, 'statistics', 'stats', 'statistical', 'summary statistics', 'summaries', 'distribution', 'distributions', 'histogram', 'histograms'),
  ...group(STATISTICS, 'top talkers', 'trends', 'breakdown'),
  ...group(QUALITY, 'quality', 'data quality', 'quality check', 'quality checks', 'validation', 'validate', 'validating', 'completeness', 'data checks'),
  ...group(ENRICHMENT, 'enrichment', 'enrich', 'enriching', 'context', 'threat context'),
  ...group([output('enriched_data')], 'enriched data', 'enriched', 'enriched csv', 'enriched file'),
  ...group(IOC, 'ioc', 'iocs', 'ioc matching', 'indicator matching', 'indicators', 'indicator', 'threat intel', 'threat intelligence', 'feeds', 'feed'),
  ...group(IOC, 'blocklist', 'blocklists', 'blacklist', 'intel', 'lookups', 'indicator lookups', 'reputation', 'reputation lookups'),
  ...group(ANOMALY, 'anomaly detection', 'anomalies', 'anomaly', 'outliers', 'outlier detection', 'pattern analysis', 'patterns'),
  ...group(ATTACK, 'att&ck', 'mitre', 'mitre attack', 'attack mapping', 'att&ck mapping', 'techniques', 'ttps', 'ttp'),
  ...group([capability(Capability.navigatorLayer)], 'navigator', 'navigator layer'),
  ...group([capability(Capability.sigmaDetection)], 'sigma', 'sigma rules', 'detection rules'),
  ...group([intent('compliance')], 'compliance', 'audit', 'compliance checks'),
  ...group([intent('conversion')], 'conversion', 'convert', 'converting'),
  // "Investigate; forget about the timeline" still wants an investigation: only the words for the whole task rule it out.
  ...group([intent('investigation')], 'investigation', 'forensics'),
  ...group([intent('threat_hunting')], 'threat hunting', 'hunting'),
  ...group([output('json')], 'json', 'json output', 'json file'),
  ...group([output('jsonl')], 'jsonl', 'json lines'),
  ...group([output('csv')], 'csv', 'csv output', 'csv file'),
  ...group([output('md')], 'markdown', 'md'),
  ...group([output('html')], 'html'),
  ...group([output('report')], 'report', 'reports', 'write up', 'writeup', 'summary report'),
  ...group([output('findings')], 'findings', 'findings file', 'ioc matches', 'matches list'),
]);
