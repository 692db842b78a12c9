// One step of a loop's parameter adjustment: multiply and/or add, then clamp; reports when nothing can change any more.
import type { ParameterAdjustment } from '../model/workflow-plan.js';

export interface Adjusted {
  readonly params: Record<string, unknown>;
  readonly from: number;
  readonly to: number;
  /** False when the value is at its bound (or not a number): another iteration would repeat the last one. */
  readonly changed: boolean;
}

export function adjustParameter(params: Readonly<Record<string, unknown>>, adjustment: ParameterAdjustment): Adjusted {
  const current = params[adjustment.param];
  if (typeof current !== 'number' || !Number.isFinite(current)) return { params: { ...params }, from: Number.NaN, to: Number.NaN, changed: false };
  let next = current * (adjustment.factor ?? 1) + (adjustment.step ?? 0);
  if (adjustment.min !== undefined) next = Math.max(adjustment.min, next);
  if (adjustment.max !== undefined) next = Math.min(adjustment.max, next);
  next = Math.round(next * 1e6) / 1e6;
  return { params: { ...params, [adjustment.param]: next }, from: current, to: next, changed: next !== current };
}
