// Which of processing.enrich's feature groups a plan asks for. The URL group (16 lexical counts of the phishing
// dataset plus the host's parts and DGA score, per distinct URL) is what a phishing or URL-classification problem
// needs, and the costliest group by far: on the 1M-row bench CSV it was half of enrichment's time and added 20 columns
// to the exported data. Other problems get the groups an analyst reads: IP classes, port services, hash types, domains.
import { FEATURE_GROUPS, type FeatureGroup } from '../components/processing/features/feature-plan.js';

const WITHOUT_URL: readonly FeatureGroup[] = FEATURE_GROUPS.filter((g) => g !== 'url');

/** Words that ask for URL features: phishing, URLs and links, classification, or features as such. */
const URL_FEATURE_WORDS = /\b(phish\w*|urls?|links?|lexical|classif\w*|machine learning|ml|features?)\b/i;

/** The groups to ask for, or null for the component's default (every group). */
export function enrichFeatureGroups(problem: string): readonly FeatureGroup[] | null {
  return URL_FEATURE_WORDS.test(problem) ? null : WITHOUT_URL;
}
