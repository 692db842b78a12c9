#!/usr/bin/env node
// Builds data/iana/port-services.csv, the port -> service name table that processing.enrich joins on port columns.
// Source: the services(5) file of Debian's netbase package (default /etc/services), which lists the service names IANA
// assigned (https://www.iana.org/assignments/service-names-port-numbers/) for the ports in real-world use. Run it at
// build time only, when that file changes: `node scripts/build-port-services.mjs [/etc/services]`; the output is committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = process.argv[2] ?? '/etc/services';
const target = fileURLToPath(new URL('../data/iana/port-services.csv', import.meta.url));
const LINE = /^([A-Za-z0-9][A-Za-z0-9._+-]*)\s+(\d{1,5})\/(tcp|udp|sctp|ddp)\b/;

/** One row per (port, protocol): the first name the file gives, as services(5) resolves a lookup. */
const rows = new Map();
for (const raw of readFileSync(source, 'utf8').split('\n')) {
  const line = raw.replace(/#.*/, '').trim();
  const match = LINE.exec(line);
  if (match === null) continue;
  const [, name, port, protocol] = match;
  if (protocol !== 'tcp' && protocol !== 'udp') continue;
  const number = Number(port);
  if (number > 65535) continue;
  const key = `${number}/${protocol}`;
  if (!rows.has(key)) rows.set(key, { port: number, protocol, service: name.toLowerCase() });
}
const sorted = [...rows.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
writeFileSync(target, ['port,protocol,service', ...sorted.map((r) => `${r.port},${r.protocol},${r.service}`)].join('\n') + '\n');
console.log(`${sorted.length} (port, protocol) names from ${source} -> ${target}`);
