// The failed rules of a validation step as one short text for its step line: `bytes_sent_limit 3, unique_event_id 2`,
// worst first, so the run summary shows per-rule counts without opening the report.

/** How many rules the line names before it says how many more there are. */
const MAX_LISTED = 8;

export function ruleCountText(rules: readonly { readonly rule: string; readonly count: number }[]): string {
  const failed = rules.filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  const listed = failed.slice(0, MAX_LISTED).map((r) => `${r.rule} ${r.count.toLocaleString('en-US')}`);
  if (failed.length > MAX_LISTED) listed.push(`${failed.length - MAX_LISTED} more`);
  return listed.join(', ');
}
