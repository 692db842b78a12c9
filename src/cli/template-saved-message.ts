// What `--save-template NAME` says: that it saved the plan, or which template it replaced (a name is one template, so
// saving over a name taken by another problem's plan replaces it, and the user must hear of it).

export function templateSavedMessage(name: string, replaced: { readonly problem: string } | null): string {
  const run = `run it on other files with \`cs-helper templates run ${name} --input-files ...\``;
  return replaced === null ? `Saved as template '${name}': ${run}` : `Replaced template '${name}' (was: ${replaced.problem.slice(0, 120)}): ${run}`;
}
