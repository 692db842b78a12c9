// A plan or a request names a component the registry does not hold.
import { CsHelperError } from './cs-helper-error.js';

export class NoSuchComponentError extends CsHelperError {
  override readonly name = 'NoSuchComponentError';
  readonly componentId: string;
  readonly availableComponents: readonly string[];

  constructor(componentId: string, availableComponents: readonly string[]) {
    super('no-such-component', `no component '${componentId}' in the registry`, {
      hint: `available: ${availableComponents.join(', ')}`,
    });
    this.componentId = componentId;
    this.availableComponents = availableComponents;
  }
}
