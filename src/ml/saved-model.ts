// The models processing.classify saves and reloads: one discriminated union, written as versioned JSON with the
// feature schema and category codes, so a reloaded model builds the same matrix and predicts the same numbers.
import { z } from 'zod';
import type { PlainValue } from '../data/plain-value.js';
import type { ExcludedColumn, FeatureSpec } from './feature-spec.js';
import type { BoostedModel } from './gradient-boosting.js';
import type { IsolationForest } from './isolation-forest.js';
import type { NaiveBayesModel } from './text/naive-bayes.js';
import type { TfidfModel } from './text/tfidf.js';
import { treeFromJson, treeToJson } from './tree.js';

export const MODEL_FORMAT = 'cs-helper-model';
export const MODEL_FORMAT_VERSION = 1;

interface ModelBase {
  readonly createdAt: string;
  /** Cross-validation figures and the like, as shown in the report. */
  readonly metrics: Readonly<Record<string, PlainValue>>;
}

export type SavedModel =
  | (ModelBase & { readonly kind: 'supervised'; readonly label: string; readonly classes: readonly string[]; readonly features: readonly FeatureSpec[]; readonly excluded: readonly ExcludedColumn[]; readonly boosted: BoostedModel })
  | (ModelBase & { readonly kind: 'unsupervised'; readonly features: readonly FeatureSpec[]; readonly excluded: readonly ExcludedColumn[]; readonly isolation: IsolationForest })
  | (ModelBase & { readonly kind: 'text'; readonly label: string; readonly textColumn: string; readonly classes: readonly string[]; readonly tfidf: TfidfModel; readonly bayes: NaiveBayesModel });

const numbers = z.array(z.number());
const treeJson = z.object({ feature: z.array(z.number().int()), threshold: z.array(z.number().nullable()), binThreshold: z.array(z.number().int().min(0).max(255)), left: z.array(z.number().int()), right: z.array(z.number().int()), value: numbers });
const featureJson = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('numeric'), column: z.string() }),
  z.object({ kind: z.literal('categorical'), column: z.string(), categories: z.array(z.string()).max(10_000) }),
]);
const excludedJson = z.object({ column: z.string(), reason: z.string(), detail: z.string() });
const isoTreeJson = z.object({ feature: z.array(z.number().int()), threshold: numbers, left: z.array(z.number().int()), right: z.array(z.number().int()), pathLength: numbers });
const base = { format: z.literal(MODEL_FORMAT), version: z.literal(MODEL_FORMAT_VERSION), name: z.string(), createdAt: z.string(), metrics: z.record(z.string(), z.unknown()) };

const modelJson = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('supervised'),
    label: z.string(),
    classes: z.array(z.string()).min(2),
    features: z.array(featureJson),
    excluded: z.array(excludedJson),
    boosted: z.object({ classCount: z.number().int().min(2), featureCount: z.number().int().min(0), init: numbers, trees: z.array(treeJson) }),
  }),
  z.object({
    ...base,
    kind: z.literal('unsupervised'),
    features: z.array(featureJson),
    excluded: z.array(excludedJson),
    isolation: z.object({ featureCount: z.number().int().min(0), subsample: z.number().int().min(1), trees: z.array(isoTreeJson) }),
  }),
  z.object({
    ...base,
    kind: z.literal('text'),
    label: z.string(),
    textColumn: z.string(),
    classes: z.array(z.string()).min(2),
    tfidf: z.object({ terms: z.array(z.string()), idf: numbers, tokenize: z.object({ bigrams: z.boolean(), charNgrams: z.array(z.number().int()) }) }),
    bayes: z.object({ classCount: z.number().int(), termCount: z.number().int(), logPrior: numbers, logLikelihood: numbers }),
  }),
]);

/** The JSON text of a model (typed arrays as plain arrays). */
export function modelToJson(model: SavedModel, name: string): string {
  const head = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, name };
  switch (model.kind) {
    case 'supervised':
      return JSON.stringify({ ...head, ...model, boosted: { ...model.boosted, trees: model.boosted.trees.map(treeToJson) } });
    case 'unsupervised':
      return JSON.stringify({
        ...head,
        ...model,
        isolation: {
          ...model.isolation,
          trees: model.isolation.trees.map((t) => ({ feature: Array.from(t.feature), threshold: Array.from(t.threshold), left: Array.from(t.left), right: Array.from(t.right), pathLength: Array.from(t.pathLength) })),
        },
      });
    case 'text':
      return JSON.stringify({ ...head, ...model, tfidf: { ...model.tfidf, idf: Array.from(model.tfidf.idf) }, bayes: { ...model.bayes, logPrior: Array.from(model.bayes.logPrior), logLikelihood: Array.from(model.bayes.logLikelihood) } });
  }
}

/** Parses and checks a model file's text; throws an Error naming the first problem. */
export function modelFromJson(text: string): SavedModel {
  const parsed = modelJson.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a ${MODEL_FORMAT} version ${MODEL_FORMAT_VERSION} file (${issue === undefined ? 'invalid' : `${issue.path.join('.')}: ${issue.message}`})`);
  }
  const json = parsed.data;
  const metrics = json.metrics as Record<string, PlainValue>;
  switch (json.kind) {
    case 'supervised': {
      const trees = json.boosted.trees.map(treeFromJson);
      const featureCount = json.features.length;
      for (const tree of trees) for (const f of tree.feature) if (f >= featureCount) throw new Error(`a tree splits on feature ${f} of ${featureCount}`);
      if (json.boosted.classCount !== json.classes.length) throw new Error('the class count differs from the class list');
      return { kind: 'supervised', createdAt: json.createdAt, metrics, label: json.label, classes: json.classes, features: json.features, excluded: json.excluded as ExcludedColumn[], boosted: { ...json.boosted, trees } };
    }
    case 'unsupervised': {
      const featureCount = json.features.length;
      const trees = json.isolation.trees.map((t, i) => {
        const n = t.feature.length;
        if ([t.threshold, t.left, t.right, t.pathLength].some((a) => a.length !== n)) throw new Error(`isolation tree ${i}: arrays differ in length`);
        t.feature.forEach((f, node) => {
          if (f >= featureCount) throw new Error(`isolation tree ${i} splits on feature ${f} of ${featureCount}`);
          const l = t.left[node] ?? -1;
          const r = t.right[node] ?? -1;
          if (f >= 0 && (l <= node || r <= node || l >= n || r >= n)) throw new Error(`isolation tree ${i} node ${node} has children outside the tree`);
        });
        return { feature: Int32Array.from(t.feature), threshold: Float64Array.from(t.threshold), left: Int32Array.from(t.left), right: Int32Array.from(t.right), pathLength: Float64Array.from(t.pathLength) };
      });
      return { kind: 'unsupervised', createdAt: json.createdAt, metrics, features: json.features, excluded: json.excluded as ExcludedColumn[], isolation: { ...json.isolation, trees } };
    }
    case 'text': {
      const { bayes, tfidf } = json;
      if (tfidf.idf.length !== tfidf.terms.length || bayes.termCount !== tfidf.terms.length || bayes.logLikelihood.length !== bayes.classCount * bayes.termCount || bayes.classCount !== json.classes.length || bayes.logPrior.length !== bayes.classCount) {
        throw new Error('the text model\'s vocabulary and class tables differ in size');
      }
      return {
        kind: 'text',
        createdAt: json.createdAt,
        metrics,
        label: json.label,
        textColumn: json.textColumn,
        classes: json.classes,
        tfidf: { terms: tfidf.terms, idf: Float64Array.from(tfidf.idf), tokenize: tfidf.tokenize },
        bayes: { ...bayes, logPrior: Float64Array.from(bayes.logPrior), logLikelihood: Float64Array.from(bayes.logLikelihood) },
      };
    }
  }
}
