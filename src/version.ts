// The tool's version, read once from package.json so the CLI, the plans and the logs agree.
import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.js';

const packageJson = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown };

export const TOOL_VERSION: string = typeof packageJson.version === 'string' ? packageJson.version : '0.0.0';
export const USER_AGENT = `cs-helper/${TOOL_VERSION}`;
