// Plans saved by name, to run again on other files of the same shape: the user's own library of workflows.
import { PlanError } from '../model/errors/plan-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { withCachedSteps } from '../planner/plan-estimate.js';
import type { StateDatabase } from './state-database.js';
import { storedPlan } from './stored-plan.js';

export interface TemplateEntry {
  readonly name: string;
  readonly problem: string;
  readonly createdAt: string;
  readonly usedAt: string | null;
  readonly planJson: string;
}

interface Row {
  name: string;
  problem: string;
  created_at: string;
  used_at: string | null;
  plan_json: string;
}

export const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class Templates {
  readonly #state: StateDatabase;

  constructor(state: StateDatabase) {
    this.#state = state;
  }

  /** Saves the plan under `name`; returns the template it replaced (a name is one template), or null. */
  save(name: string, plan: WorkflowPlan): TemplateEntry | null {
    if (!TEMPLATE_NAME.test(name)) throw new PlanError('invalid-template-name', `template name '${name}' is not a plain name`, 'use letters, digits, _ . - (up to 64)');
    // A template runs on other files: what the result cache held for these says nothing of them (the full estimate).
    const stored = storedPlan(withCachedSteps(plan, new Map<string, number>()));
    return this.#state.write(() => {
      // Read in the same transaction as the write: what is reported replaced is what was replaced.
      const previous = this.#state.db.prepare('SELECT * FROM templates WHERE name = ?').get(name) as Row | undefined;
      this.#state.db.prepare('INSERT OR REPLACE INTO templates (name, plan_json, problem, created_at, used_at) VALUES (?, ?, ?, ?, NULL)').run(name, JSON.stringify(stored), stored.profile.problem, new Date().toISOString());
      return previous === undefined ? null : entryOf(previous);
    });
  }

  list(): TemplateEntry[] {
    return (this.#state.db.prepare('SELECT * FROM templates ORDER BY name').all() as Row[]).map(entryOf);
  }

  get(name: string): TemplateEntry {
    const row = this.#state.db.prepare('SELECT * FROM templates WHERE name = ?').get(name) as Row | undefined;
    if (row === undefined) {
      const names = this.list().map((t) => t.name);
      throw new PlanError('no-such-template', `no template named '${name}'`, names.length === 0 ? 'save one with `dynamic-workflow ... --save-template NAME`' : `templates: ${names.join(', ')}`);
    }
    return entryOf(row);
  }

  used(name: string): void {
    this.#state.write(() => {
      this.#state.db.prepare('UPDATE templates SET used_at = ? WHERE name = ?').run(new Date().toISOString(), name);
    });
  }

  remove(name: string): boolean {
    return this.#state.write(() => this.#state.db.prepare('DELETE FROM templates WHERE name = ?').run(name).changes > 0);
  }
}

function entryOf(row: Row): TemplateEntry {
  return { name: row.name, problem: row.problem, createdAt: row.created_at, usedAt: row.used_at, planJson: row.plan_json };
}
