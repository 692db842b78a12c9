// import.excel: loads .xlsx worksheets into the workspace with typed cells, the header row found below any title rows.
// One step makes one dataset: by default the first non-empty visible worksheet of each workbook, stacked with the other
// worksheets of that workbook that have the same columns (a `sheet` column tells them apart); `sheets` names others.
// The planner reads every worksheet's shape (planner/profile-excel.ts) and gives each shape its own step, with `sheets`
// set, in a branch of its own (planner/dataset-groups.ts): so every sheet of a workbook is analysed, each as a dataset.
import { basename } from 'node:path';
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { checkInputFile, resolveInput } from '../../data/input-files.js';
import { Workbook } from '../../data/xlsx/workbook.js';
import type { SheetEntry } from '../../data/xlsx/workbook-parts.js';
import { defineComponent, type ComponentContext } from '../component.js';
import { loadSheet, type SheetLoad } from './excel-sheet.js';
import { StagedTable } from './excel-table.js';

export const excelImportParams = z.object({
  paths: z.array(z.string().min(1)).min(1).describe('.xlsx workbooks; several are stacked by column name, with a source_file column'),
  sheets: z
    .array(z.string().min(1).max(255))
    .min(1)
    .nullable()
    .default(null)
    .describe('Worksheets to load, by name (every workbook must have them), stacked by column name with a sheet column; null loads the first non-empty visible worksheet and the others with the same columns. Plans set it for each dataset of a workbook whose worksheets differ in shape'),
  header_row: z.number().int().min(0).max(1_048_576).nullable().default(null).describe('Sheet row (as Excel numbers it) that holds the column names; null to detect it below title rows; 0 when there is none'),
  max_cells: z.number().int().positive().max(2_000_000_000).default(50_000_000).describe('Refuse workbooks with more cells than this (a bound for hostile files)'),
  max_uncompressed_bytes: z.number().int().positive().max(64 * 1024 ** 3).default(1024 ** 3).describe('Refuse workbooks whose parts inflate to more than this (zip bombs)'),
  max_shared_string_chars: z.number().int().positive().max(1_000_000_000).default(200_000_000).describe('Refuse workbooks whose shared text is longer than this'),
});

export const excelImport = defineComponent({
  id: 'import.excel',
  version: '3',
  type: ComponentType.DATA_IMPORT,
  complexity: Complexity.SIMPLE,
  title: 'Excel Import',
  description:
    'Loads .xlsx worksheets into the analysis engine with typed cells (numbers, dates as timestamps, booleans, text; formulas as their saved values, never evaluated), finding the header row below title rows. Choose it for spreadsheets handed over by analysts, auditors or asset inventories.',
  capabilities: [Capability.importExcel],
  consumes: [],
  produces: ['dataset'],
  order: 0,
  params: excelImportParams,
  // Measured on 2 cores: ~50 ms fixed, then ~12 MB of compressed workbook a second (sheet XML inflates ~8x).
  estimateMs: ({ bytes }) => 150 + bytes / 12_000,
  async run(context, _inputs, params) {
    const files = params.paths.map((p) => ({ display: p, absolute: resolveInput(context.run.baseDir, p) }));
    let bytes = 0;
    for (const file of files) bytes += await checkInputFile(file.absolute, file.display);

    const staged = new StagedTable({ sql: context.sql, table: context.tableName('import_excel_stage'), signal: context.signal, maxCells: params.max_cells, display: files.map((f) => f.display).join(', ') });
    await staged.create();
    const loaded: { file: string; sheet: string; load: SheetLoad }[] = [];
    const skipped: { file: string; sheet: string; reason: string }[] = [];
    const tallies = { errorCells: 0, formulasWithoutValue: 0 };
    try {
      for (const [index, file] of files.entries()) {
        const limits = { maxCells: params.max_cells, maxUncompressedBytes: params.max_uncompressed_bytes, maxSharedStringChars: params.max_shared_string_chars };
        const workbook = await Workbook.open(file.absolute, file.display, limits, context.signal);
        try {
          if (workbook.hasMacros) context.log.info('workbook-macros', `${file.display} holds macros: they are never run, only cell values are read`);
          const result = await loadWorkbook(context, { workbook, staged, display: file.display }, params);
          loaded.push(...result.loaded.map((l) => ({ file: file.display, ...l })));
          skipped.push(...result.skipped.map((s) => ({ file: file.display, ...s })));
          tallies.errorCells += workbook.tally.errorCells;
          tallies.formulasWithoutValue += workbook.tally.formulasWithoutValue;
        } finally {
          workbook.close();
        }
        context.progress((index + 1) / files.length, file.display);
      }
      if (staged.rows === 0) {
        throw new InputFileError(files.map((f) => f.display).join(', '), 'empty', `no data rows in ${loaded.length === 0 ? 'any worksheet' : loaded.map((l) => `sheet '${l.sheet}'`).join(', ')}`, {
          hint: 'check that the worksheet has rows below its header, or name the sheet with the sheets parameter',
        });
      }
      const table = context.tableName('import_excel');
      const sheetsPerFile = new Map<string, number>();
      for (const l of loaded) sheetsPerFile.set(l.file, (sheetsPerFile.get(l.file) ?? 0) + 1);
      await staged.finish(table, { sheetColumn: [...sheetsPerFile.values()].some((n) => n > 1), fileColumn: files.length > 1 });
      const dataset = await context.describe(table, files.map((f) => f.display));

      for (const s of skipped) context.log.warn('sheet-skipped', `${s.file}: sheet '${s.sheet}' not loaded: ${s.reason}`, { file: s.file, sheet: s.sheet });
      if (tallies.errorCells > 0) context.log.warn('error-cells', `${tallies.errorCells} cells hold a spreadsheet error (#DIV/0!, #N/A, ...) and were read as empty`);
      if (tallies.formulasWithoutValue > 0) context.log.warn('formulas-without-value', `${tallies.formulasWithoutValue} formula cells have no saved value and were read as empty (formulas are never evaluated)`);
      context.log.dataOperation({
        operation: 'read',
        target: files.map((f) => f.display).join(', '),
        rows: dataset.rowCount,
        bytes,
        columns: dataset.columns.map((c) => c.name),
        detail: { sheets: loaded.map((l) => ({ file: l.file, sheet: l.sheet, rows: l.load.rows, header_row: l.load.headerRow, title_rows: l.load.titleRows })) },
      });
      return {
        dataset,
        rowsIn: dataset.rowCount,
        rowsOut: dataset.rowCount,
        summary: {
          files: files.map((f) => basename(f.display)),
          sheets: loaded.map((l) => l.sheet),
          skipped_sheets: skipped.map((s) => s.sheet),
          rows: dataset.rowCount,
          bytes,
          columns: dataset.columns.length,
          header_rows: loaded.map((l) => l.load.headerRow),
          title_rows: loaded.reduce((sum, l) => sum + l.load.titleRows, 0),
          error_cells: tallies.errorCells,
          formulas_without_value: tallies.formulasWithoutValue,
        },
        message: `${dataset.rowCount.toLocaleString('en-US')} rows, ${dataset.columns.length} columns from ${loaded.map((l) => `'${l.sheet}'`).join(', ')}${skipped.length > 0 ? ` (${skipped.length} sheet(s) skipped)` : ''}`,
      };
    } finally {
      await staged.drop();
    }
  },
});

type Loaded = { sheet: string; load: SheetLoad };
type Skipped = { sheet: string; reason: string };

/** The sheets of one workbook: those named, or the first non-empty visible one and the visible ones shaped like it. */
async function loadWorkbook(
  context: ComponentContext,
  { workbook, staged, display }: { workbook: Workbook; staged: StagedTable; display: string },
  params: z.infer<typeof excelImportParams>,
): Promise<{ loaded: Loaded[]; skipped: Skipped[] }> {
  const loaded: Loaded[] = [];
  const skipped: Skipped[] = [];
  const named = params.sheets !== null;
  const chosen = named ? namedSheets(workbook, display, params.sheets ?? []) : workbook.worksheets().filter((s) => !s.hidden);
  let reference: string | null = null;
  for (const sheet of chosen) {
    const load = await loadSheet(workbook, sheet, staged, {
      display,
      headerRow: params.header_row,
      signal: context.signal,
      // Named sheets are all loaded (stacked by column name); found ones only when shaped like the first.
      accept: (columns) => named || reference === null || columns.join('\n') === reference,
    });
    if (load.status === 'loaded') {
      reference ??= load.columns.join('\n');
      loaded.push({ sheet: sheet.name, load });
    } else {
      skipped.push({ sheet: sheet.name, reason: load.status === 'empty' ? 'it is empty' : `its columns differ from sheet '${loaded[0]?.sheet ?? ''}'` });
    }
  }
  if (!named) {
    context.log.decision({
      decision: `sheets of ${display}`,
      chosen: loaded.map((l) => l.sheet).join(', ') || '(none)',
      alternatives: skipped.map((s) => ({ option: s.sheet, score: null })),
      reasoning: 'the first non-empty visible worksheet, and the visible worksheets with the same columns; name others with the sheets parameter',
    });
  }
  return { loaded, skipped };
}

/** The sheets the user named, in the order named; a name that matches no sheet (even ignoring case) is an error listing the sheets. */
function namedSheets(workbook: Workbook, display: string, names: readonly string[]): SheetEntry[] {
  return names.map((name) => {
    const sheet = workbook.sheets.find((s) => s.name === name) ?? workbook.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (sheet === undefined) {
      throw new InputFileError(display, 'not-found', `has no sheet named '${name}' (its sheets: ${workbook.sheets.map((s) => `'${s.name}'`).join(', ')})`, { hint: 'name one of the workbook\'s sheets' });
    }
    if (!workbook.worksheets().includes(sheet)) {
      throw new InputFileError(display, 'unsupported', `sheet '${sheet.name}' is a ${sheet.kind}, not a worksheet of cells`, { hint: 'name a worksheet; charts and macro sheets hold no rows to load' });
    }
    return sheet;
  });
}
