// The port -> service name table shipped in data/iana (built by scripts/build-port-services.mjs from the IANA names
// listed in Debian's netbase services file), loaded into the run's workspace once and joined on port columns.
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import { packagePath } from '../../package-root.js';

/** In the package root's data folder (see package-root.ts). */
export const PORT_SERVICES_PATH = packagePath('data', 'iana', 'port-services.csv');

/** The workspace table: one service name per port number, the TCP name where TCP and UDP differ (TCP is the common case). */
export const PORT_SERVICES_TABLE = '__port_services';

/** Loads the table unless the workspace has it already; safe to call from every step that needs it. */
export async function loadPortServices(sql: SqlSession, signal?: AbortSignal): Promise<string> {
  const path = PORT_SERVICES_PATH.replaceAll("'", "''");
  try {
    await sql.run(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(PORT_SERVICES_TABLE)} AS
       SELECT port, arg_min(service, CASE protocol WHEN 'tcp' THEN 0 ELSE 1 END) AS service
       FROM read_csv('${path}', header = true, columns = {'port': 'INTEGER', 'protocol': 'VARCHAR', 'service': 'VARCHAR'})
       GROUP BY port`,
      [],
      signal,
    );
  } catch (error) {
    // Two steps creating it at once: the loser's transaction conflicts, and the winner's table is just as good.
    const exists = await sql.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = $1`, [PORT_SERVICES_TABLE], signal);
    if (Number(exists) === 0) throw error;
  }
  return PORT_SERVICES_TABLE;
}
