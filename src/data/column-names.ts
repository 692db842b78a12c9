// Column names as the engine gives them when it reads a CSV: the profile shows the names the imported table will have,
// so a plan's columns (and a column role a step is wired to) are the table's. The tests check them against the engine.

/**
 * Names by position, from 0, zero-padded to the width of the last index: `column0`..`column9` for ten columns,
 * `column00`..`column10` for eleven. What the engine calls the columns of a file read without a header, and a header
 * cell left empty (a pandas index column, a trailing delimiter).
 */
export function positionalName(index: number, width: number): string {
  const digits = String(Math.max(width - 1, 0)).length;
  return `column${String(index).padStart(digits, '0')}`;
}

/**
 * Header cells made into distinct names as the engine makes them: trimmed, an empty cell named by its position, and a
 * repeated name (compared without case, as SQL names are) suffixed `_1`, `_2`, ... until it is new: `user,user,User`
 * gives `user,user_1,User_2`; `a,a,a_1` gives `a,a_1,a_1_1`.
 */
export function uniqueColumnNames(cells: readonly string[]): string[] {
  const collisions = new Map<string, number>();
  return cells.map((cell, index) => {
    let name = cell.trim() === '' ? positionalName(index, cells.length) : cell.trim();
    for (let count = collisions.get(name.toLowerCase()); count !== undefined; count = collisions.get(name.toLowerCase())) {
      collisions.set(name.toLowerCase(), count + 1);
      name = `${name}_${count + 1}`;
    }
    collisions.set(name.toLowerCase(), 0);
    return name;
  });
}

/** The names of a CSV's columns: its header's, made distinct, or positional ones when it has none. */
export function csvColumnNames(firstRow: readonly string[], hasHeader: boolean): string[] {
  return hasHeader ? uniqueColumnNames(firstRow) : firstRow.map((_, i) => positionalName(i, firstRow.length));
}
