// `cs-helper explain "<problem>" --input-files ... [--outputs ...] [--json]`: the plan with its reasons, nothing run.
// It takes dynamic-workflow's planning options (planning-options.ts), so any plan that command makes can be explained.
import type { Command } from 'commander';
import pc from 'picocolors';
import { INTENT_THRESHOLD } from '../../planner/classify-intents.js';
import { explainPlan } from '../../planner/explain-plan.js';
import { planWorkflow } from '../../planner/plan-workflow.js';
import { createPrinter } from '../output-stream.js';
import { describeDataset, planDatasets } from '../plan-datasets.js';
import type { RegistryLoader } from '../registry-loader.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';
import { addPlanningOptions, planningRequest, type PlanningOptions } from './planning-options.js';

interface ExplainOptions extends PlanningOptions {
  readonly json?: boolean;
}

export function registerExplain(program: Command, loadRegistry: RegistryLoader): void {
  const explain = program
    .command('explain')
    .description(COMMAND_SUMMARIES.explain.description)
    .argument('<problem>', 'the problem, in plain words');
  addPlanningOptions(explain)
    .option('--json', 'print the explanation as JSON')
    .addHelpText(
      'after',
      examplesHelp(
        [
          'explain "Hunt for C2 beaconing" --input-files examples/threat_data.csv',
          'explain "Analyze this CSV for security threats" -i examples/threat_data.csv --outputs enriched_data threat_report --json',
          'explain "Check these events against our business rules" -i examples/threat_data.csv\n--validation-rules threat-rules.yaml --outputs violations   # the rules file of docs/validation.md',
        ],
        "The options are dynamic-workflow's: explain shows why that command would plan what it plans, and runs nothing.",
      ),
    )
    .action(async (problem: string, options: ExplainOptions) => {
      const request = await planningRequest(options);
      const registry = await loadRegistry();
      const plan = await planWorkflow({ problem, ...request }, registry);
      const explanation = explainPlan(plan, registry, INTENT_THRESHOLD);
      const out = createPrinter(options.json === true);
      if (options.json === true) {
        out.json(explanation);
        return;
      }
      out.text(pc.bold(`Why this plan (confidence ${explanation.confidence.score.toFixed(2)}, estimated ${explanation.estimated_seconds.toFixed(2)} s)`));
      out.text();
      out.text('Intents read from the problem:');
      for (const i of explanation.intents) out.text(`  ${i.acted_on ? '●' : '○'} ${i.intent} ${i.score.toFixed(2)}  ${pc.dim(i.evidence.join(', '))}${i.acted_on ? '' : pc.dim(`  (below ${INTENT_THRESHOLD})`)}`);
      out.text(`Outputs: ${explanation.outputs.join(', ')}`);
      const datasets = planDatasets(plan);
      if (datasets.length > 1) {
        out.text(`Datasets, each in its own branch (steps named <step>-<dataset>; files <output>_<dataset>.<ext>):`);
        for (const dataset of datasets) out.text(`  ${dataset.slug}: ${describeDataset(dataset)}`);
      }
      for (const step of explanation.steps) {
        out.text();
        out.text(`${pc.cyan(`${step.stage}. ${step.node}`)}  ${step.component} (${step.mode})  ${pc.dim(`~${step.estimated_ms} ms`)}`);
        out.text(`   why: ${step.why}`);
        for (const [capability, alternatives] of Object.entries(step.alternatives)) {
          out.text(`   ${capability}: ${alternatives.map((a) => `${a.chosen ? '→ ' : ''}${a.component} ${a.score.toFixed(2)}`).join(', ')}`);
        }
        if (step.depends_on.length > 0) out.text(`   after: ${step.depends_on.join(', ')}`);
        if (step.condition !== null) out.text(`   runs only if ${step.condition}`);
        if (step.loop !== null) out.text(`   repeats: ${step.loop}`);
        for (const adaptation of step.adaptations) out.text(`   ${adaptation}`);
      }
      if (explanation.unavailable.length > 0) {
        out.text();
        out.text(pc.yellow('Not in this version:'));
        for (const u of explanation.unavailable) out.text(pc.yellow(`  ${u}`));
      }
      out.text();
      out.text('Confidence:');
      for (const reason of explanation.confidence.reasons) out.text(`  · ${reason}`);
      out.text(pc.dim(`Scores: ${explanation.scoring}.`));
    });
}
