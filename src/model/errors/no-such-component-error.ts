// A plan or a request names a component the registry does not hold.
import { CsHelperError } from './cs-helper-error.js';

export class NoSuchComponentError extends CsHelperError {
  override readonly name = 'NoSuchComponentError';
  readonly componentId: string;
  readonly availableComponents: readonly string[];

  /** `where` names who asked, e.g. `plans/p.json: step 'scan'`: a plan's author needs the file and the step to fix. */
  constructor(componentId: string, availableComponents: readonly string[], where?: string) {
    super('no-such-component', `${where === undefined ? '' : `${where}: `}no component '${componentId}' in the registry`, {
      hint: `available: ${availableComponents.join(', ')}`,
    });
    this.componentId = componentId;
    this.availableComponents = availableComponents;
  }
}
