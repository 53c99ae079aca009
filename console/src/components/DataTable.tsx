// Tables of API results: a column list says what each cell shows, and `Listing` says
// what to show while loading, on error and when there is nothing. Cells are React
// nodes, so every value renders as text.
import type { ReactNode } from 'react';
import type { Change, Loaded } from '../hooks.ts';
import { ConfirmButton, ErrorNote, Loading } from './ui.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** Buttons for a row, in a last column. */
  actions?: (row: T) => ReactNode;
  rowClass?: (row: T) => string | undefined;
  className?: string;
}

export function DataTable<T>({ rows, columns, rowKey, actions, rowClass, className }: DataTableProps<T>) {
  return (
    <table className={className}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClass?.(row)}>
            {columns.map((column) => (
              <td key={column.header}>{column.cell(row)}</td>
            ))}
            {actions && <td className="actions">{actions(row)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A loaded list: its error, a loading line, an empty message, or `children` with the rows. */
export function Listing<T>({
  state,
  what,
  empty,
  children,
}: {
  state: Loaded<readonly T[]>;
  what: string;
  empty: string;
  children: (rows: readonly T[]) => ReactNode;
}) {
  return (
    <>
      <ErrorNote error={state.error} />
      {state.loading && !state.data && <Loading what={what} />}
      {state.data && state.data.length === 0 && <p className="muted">{empty}</p>}
      {state.data && state.data.length > 0 && children(state.data)}
    </>
  );
}

/**
 * A `Listing` in a table whose rows each have a delete button (it asks once more).
 * `remover` runs the delete and reloads the list; its error shows above the table.
 * Without `onDelete` (a read-only list) the rows have no button.
 */
export function ListingWithDelete<T>({
  state,
  what,
  empty,
  columns,
  rowKey,
  remover,
  deleteLabel,
  onDelete,
}: {
  state: Loaded<readonly T[]>;
  what: string;
  empty: string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  remover: Pick<Change, 'error' | 'change'>;
  deleteLabel: (row: T) => string;
  onDelete: ((row: T) => Promise<unknown>) | undefined;
}) {
  return (
    <>
      <ErrorNote error={remover.error} />
      <Listing state={state} what={what} empty={empty}>
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={rowKey}
            columns={columns}
            actions={(row) => onDelete && <ConfirmButton label={deleteLabel(row)} onConfirm={() => remover.change(() => onDelete(row))} />}
          />
        )}
      </Listing>
    </>
  );
}
