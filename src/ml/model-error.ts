// A classification cannot be done as asked: a model name that is not allowed, a saved model that is missing or
// damaged, data without what the chosen mode needs. The hint says what to do instead.
import { CsHelperError } from '../model/errors/cs-helper-error.js';

export type ModelProblem = 'bad-name' | 'not-found' | 'damaged' | 'too-large' | 'no-label' | 'no-features' | 'no-text' | 'too-few-rows' | 'too-many-classes' | 'schema-mismatch';

const HINTS: Readonly<Record<ModelProblem, string>> = {
  'bad-name': 'model names are 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  'not-found': 'train one first: run on labelled data with --model NAME, and the model is saved under that name',
  damaged: 'train the model again with --model NAME (the file in the models folder of the state directory cannot be used)',
  'too-large': 'a saved model is at most 256 MB; train with fewer rounds or leaves',
  'no-label': 'name the label column with the label parameter, or use mode unsupervised for anomaly scores without labels',
  'no-features': 'the classifier needs numeric or categorical columns that are not identifiers, constants or the label itself',
  'no-text': 'name the free-text column with the text_column parameter',
  'too-few-rows': 'supervised and text modes need at least 10 labelled rows and two classes',
  'too-many-classes': 'a label with more than 100 distinct values is more like an identifier: name the label column with the label parameter, or group rare labels first (processing.transform)',
  'schema-mismatch': 'use the model on data with the columns it was trained on, or train a new one',
};

export class ModelError extends CsHelperError {
  override readonly name = 'ModelError';
  readonly problem: ModelProblem;

  constructor(problem: ModelProblem, message: string, options: { readonly cause?: unknown } = {}) {
    super(`model-${problem}`, message, { hint: HINTS[problem], cause: options.cause });
    this.problem = problem;
  }
}
