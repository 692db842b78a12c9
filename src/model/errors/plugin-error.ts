// A plugin file cannot be loaded or does not follow the component contract.
import { CsHelperError } from './cs-helper-error.js';

export class PluginError extends CsHelperError {
  override readonly name = 'PluginError';
  readonly file: string;

  constructor(file: string, message: string, hint = 'a plugin exports components declared like the built-ins (see docs/architecture.md, "The component contract")') {
    super('invalid-plugin', `plugin ${file}: ${message}`, { hint });
    this.file = file;
  }
}
