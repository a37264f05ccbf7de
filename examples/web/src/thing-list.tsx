// A list of rows with a checkbox each, and the keyboard of a mail client: Space toggles the focused row (the
// checkbox's own behaviour), ↑/↓ (or k/j) move between rows, Delete or # deletes the selection.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { describeError } from "./errors.ts";
import type { Selection } from "./use-selection.ts";

const number = new Intl.NumberFormat();

/** "1 Thing", "12,345 Things". */
export function countThings(count: number): string {
  return `${number.format(count)} ${count === 1 ? "Thing" : "Things"}`;
}

export interface Row {
  id: string;
  text: string;
  detail?: ReactNode;
}

export interface ThingListProps {
  label: string;
  rows: readonly Row[];
  selection: Selection;
  onDelete: () => void;
}

export function ThingList({ label, rows, selection, onDelete }: ThingListProps) {
  const list = useRef<HTMLUListElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.key === "Delete" || event.key === "#") {
      event.preventDefault();
      onDelete();
      return;
    }
    const step = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 }[event.key];
    if (step === undefined || !list.current) return;
    event.preventDefault();
    const boxes = [...list.current.querySelectorAll<HTMLInputElement>("input[type=checkbox]")];
    const at = boxes.indexOf(event.target as HTMLInputElement);
    boxes[Math.min(boxes.length - 1, Math.max(0, at + step))]?.focus();
  }

  return (
    <ul className="things" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {rows.map((row) => (
        <li key={row.id} className={selection.has(row.id) ? "selected" : undefined} data-id={row.id}>
          <label>
            <input
              type="checkbox"
              checked={selection.has(row.id)}
              readOnly
              onClick={(event) => selection.click(row.id, event.shiftKey)}
              aria-label={`Select ${row.text}`}
            />
            <span className="text">{row.text}</span>
            {row.detail && <span className="detail">{row.detail}</span>}
          </label>
        </li>
      ))}
    </ul>
  );
}

/** The header checkbox: checked when the whole page is selected, half-checked when part of it is. */
export function PageCheckbox({ selection, count }: { selection: Selection; count: number }) {
  const box = useRef<HTMLInputElement>(null);
  const all = count > 0 && selection.ids.length === count;
  const some = selection.ids.length > 0 && !all;
  useEffect(() => {
    if (box.current) box.current.indeterminate = some;
  }, [some]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label="Select this page"
      checked={all}
      disabled={count === 0}
      onChange={() => selection.setAll(!all)}
    />
  );
}

/** Where a paged list stands: what its last query returned and how to get the next page. */
export interface PageState {
  /** A page has arrived (this one or the previous, while the next loads). */
  loaded: boolean;
  loading: boolean;
  error: unknown;
  hasNextPage: boolean;
  loadMore: () => void;
}

/** The PageState of a connection query (`things`, `trash`): its result and how to fetch the page after it. */
export function pageState(
  connection: { pageInfo: { hasNextPage: boolean; endCursor?: string | null } } | undefined,
  query: {
    loading: boolean;
    error?: unknown;
    fetchMore: (options: { variables: { after?: string | null } }) => unknown;
  },
): PageState {
  return {
    loaded: connection !== undefined,
    loading: query.loading,
    error: query.error,
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    loadMore: () => void query.fetchMore({ variables: { after: connection?.pageInfo.endCursor } }),
  };
}

export interface PagedThingListProps extends ThingListProps {
  page: PageState;
  /** Shown when a page arrived and holds no rows. */
  empty: string;
}

/** ThingList with what surrounds it on every page: the first load, its error, the empty list and "Load more". */
export function PagedThingList({ page, empty, ...list }: PagedThingListProps) {
  return (
    <>
      {Boolean(page.error) && !page.loaded && <p className="state error">{describeError(page.error)}</p>}
      {!page.loaded && page.loading && <p className="state">Loading…</p>}
      {page.loaded && list.rows.length === 0 && <p className="state">{empty}</p>}
      <ThingList {...list} />
      {page.hasNextPage && (
        <button type="button" className="more" disabled={page.loading} onClick={page.loadMore}>
          {page.loading ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}
