// Calibration arithmetic for the labelled problems: fitting Platt scaling and measuring how far scores are from hit rates.

export interface LabelledScore {
  /** The model's number: raw evidence for fitting, a probability for reliability. */
  readonly x: number;
  readonly correct: boolean;
}

/**
 * Maximum-likelihood logistic fit p = 1 / (1 + e^-(slope * x + intercept)) by Newton's method, with a small ridge
 * penalty so that a set where evidence separates the labels perfectly still gives finite parameters.
 */
export function fitPlatt(samples: readonly LabelledScore[], ridge = 0.01): { slope: number; intercept: number } {
  let slope = 1;
  let intercept = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let gA = ridge * slope;
    let gB = 0;
    let hAA = ridge;
    let hAB = 0;
    let hBB = 1e-9;
    for (const { x, correct } of samples) {
      const p = 1 / (1 + Math.exp(-(slope * x + intercept)));
      const error = p - (correct ? 1 : 0);
      const w = p * (1 - p);
      gA += error * x;
      gB += error;
      hAA += w * x * x;
      hAB += w * x;
      hBB += w;
    }
    const det = hAA * hBB - hAB * hAB;
    if (Math.abs(det) < 1e-12) break;
    const dA = (hBB * gA - hAB * gB) / det;
    const dB = (hAA * gB - hAB * gA) / det;
    slope -= dA;
    intercept -= dB;
    if (Math.abs(dA) + Math.abs(dB) < 1e-9) break;
  }
  return { slope, intercept };
}

export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanScore: number;
  readonly hitRate: number;
}

/** Scores binned by value; the expected calibration error is the count-weighted mean gap between score and hit rate. */
export function reliability(samples: readonly LabelledScore[], edges: readonly number[]): { bins: ReliabilityBin[]; expectedCalibrationError: number } {
  const bins: ReliabilityBin[] = [];
  let weightedGap = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i] ?? 0;
    const to = edges[i + 1] ?? 1;
    const inBin = samples.filter((s) => s.x >= from && (s.x < to || (to === 1 && s.x === 1)));
    if (inBin.length === 0) continue;
    const meanScore = inBin.reduce((sum, s) => sum + s.x, 0) / inBin.length;
    const hitRate = inBin.filter((s) => s.correct).length / inBin.length;
    bins.push({ from, to, count: inBin.length, meanScore, hitRate });
    weightedGap += inBin.length * Math.abs(meanScore - hitRate);
  }
  return { bins, expectedCalibrationError: samples.length === 0 ? 0 : weightedGap / samples.length };
}
