// The component library: lookup by id and by capability; registering an id twice is a programming error.
import { createHash } from 'node:crypto';
import type { Capability } from '../model/capability.js';
import { NoSuchComponentError } from '../model/errors/no-such-component-error.js';
import type { AnyComponent } from './component.js';

export class ComponentRegistry {
  readonly #components = new Map<string, AnyComponent>();
  readonly #sources = new Map<string, string>();
  #version: string | null = null;

  /** `source` says where a component came from: `built-in`, or the plugin file. */
  register(component: AnyComponent, source = 'built-in'): this {
    if (this.#components.has(component.id)) throw new Error(`component '${component.id}' is already registered`);
    this.#components.set(component.id, component);
    this.#sources.set(component.id, source);
    this.#version = null;
    return this;
  }

  sourceOf(id: string): string {
    return this.#sources.get(id) ?? 'built-in';
  }

  has(id: string): boolean {
    return this.#components.has(id);
  }

  get(id: string): AnyComponent {
    const component = this.#components.get(id);
    if (component === undefined) throw new NoSuchComponentError(id, [...this.#components.keys()]);
    return component;
  }

  list(): readonly AnyComponent[] {
    return [...this.#components.values()];
  }

  /** Components that provide a capability, simplest first: the planner takes the first and keeps the rest as alternatives. */
  providing(capability: Capability): readonly AnyComponent[] {
    const rank = { SIMPLE: 0, MODERATE: 1, COMPLEX: 2 } as const;
    return this.list()
      .filter((c) => c.capabilities.includes(capability))
      .sort((a, b) => rank[a.complexity] - rank[b.complexity] || a.id.localeCompare(b.id));
  }

  /** Changes whenever a component is added, removed or changes version: part of the plan cache key. */
  get version(): string {
    this.#version ??= createHash('sha256')
      .update(
        this.list()
          .map((c) => `${c.id}@${c.version}`)
          .sort()
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 16);
    return this.#version;
  }
}
