// What `help` prints in interactive mode: how a turn goes, the commands, the outputs one can ask for.
import { KNOWN_OUTPUT_HELP } from '../../planner/resolve-outputs.js';

export const WELCOME = "CS Helper interactive mode: describe a problem, name your files, review the plan, then run it. Type 'help' for options, 'quit' to leave.";

export function helpText(): string {
  return `Type a problem in plain words, for example:
  Analyze this CSV for security threats and export enriched data
  Process logs for compliance
Then name the input files (paths separated by commas or spaces) and the outputs you want (Enter for the default
chosen from the problem). CS Helper shows the plan and runs nothing until you answer y.

Commands, at any prompt:
  help        this text
  components  the component library
  sessions    recent sessions in the log folder
  back        leave the current question and start again from the first one
  quit, exit  end the session (Ctrl-D does the same)

Outputs: ${KNOWN_OUTPUT_HELP}.`;
}
