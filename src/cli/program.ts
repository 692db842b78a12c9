// The cs-helper program before its commands are registered: name, version, the global options, and the settings every
// command inherits (commander copies them to a command when it is created, so they are set here, first).
import { Command } from 'commander';
import { TOOL_VERSION } from '../version.js';

export function createProgram(): Command {
  return (
    new Command('cs-helper')
      .description('Plans and runs security data workflows from a problem stated in plain words, and logs every session.')
      .version(TOOL_VERSION)
      .option('--log-dir <dir>', 'session log folder (default ./session-logs, or $CS_HELPER_LOG_DIR)')
      .option('--debug', 'add debug events and stack traces (or CS_HELPER_DEBUG=1)')
      // No default value: commander would print it as "(default: [])".
      .option('--plugins <dir>', 'load components from a folder (each .js/.mjs file exports components; they run as code); repeat for several', (dir: string, dirs: string[] | undefined) => [...(dirs ?? []), dir])
      // The global options work after the command too (`cs-helper sessions list --log-dir DIR`): each command's help
      // lists them under "Global Options".
      .configureHelp({ showGlobalOptions: true })
      .showHelpAfterError('(add --help for usage)')
      .exitOverride()
  );
}
