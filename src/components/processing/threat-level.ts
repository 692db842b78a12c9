// Threat score bands: the single place that says what `low` or `critical` means.

export const THREAT_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type ThreatLevel = (typeof THREAT_LEVELS)[number];

/**
 * An indicator hit scores 50 + 40 x the feed's confidence (78-90 for the bundled feeds: high or critical);
 * anomalies add their scores up to 40 (low or medium on their own). A row with neither scores 0.
 */
export const ANOMALY_SCORE_CAP = 40;

export function threatLevelSql(score: string): string {
  return `CASE WHEN ${score} >= 80 THEN 'critical' WHEN ${score} >= 60 THEN 'high' WHEN ${score} >= 30 THEN 'medium' WHEN ${score} > 0 THEN 'low' ELSE 'none' END`;
}
