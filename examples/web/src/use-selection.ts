// Checkbox selection as mail clients do it: click toggles a row, shift-click selects the range from the last
// clicked row, the header checkbox toggles the page. Only rows on screen count, so a row that disappears (deleted
// here or by someone else) leaves the selection by itself.
import { useCallback, useMemo, useState } from "react";

export interface Selection {
  /** Selected ids among `visibleIds`, in their order. */
  ids: readonly string[];
  has(id: string): boolean;
  click(id: string, shiftKey: boolean): void;
  /** Selects every visible row, or none. */
  setAll(selected: boolean): void;
  clear(): void;
}

export function useSelection(visibleIds: readonly string[]): Selection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);

  const click = useCallback(
    (id: string, shiftKey: boolean) => {
      const from = anchor === null ? -1 : visibleIds.indexOf(anchor);
      const to = visibleIds.indexOf(id);
      setSelected((current) => {
        const next = new Set(current);
        if (shiftKey && from >= 0 && to >= 0) {
          for (const rangeId of visibleIds.slice(Math.min(from, to), Math.max(from, to) + 1)) next.add(rangeId);
        } else if (next.has(id)) {
          next.delete(id);
        } else {
          next.add(id);
        }
        return next;
      });
      setAnchor(id);
    },
    [anchor, visibleIds],
  );

  return useMemo(
    () => ({
      ids: visibleIds.filter((id) => selected.has(id)),
      has: (id: string) => selected.has(id),
      click,
      setAll: (all: boolean) => setSelected(all ? new Set(visibleIds) : new Set()),
      clear: () => setSelected(new Set()),
    }),
    [visibleIds, selected, click],
  );
}
