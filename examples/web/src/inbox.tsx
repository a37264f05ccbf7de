// The inbox: Things newest first, a page at a time, with a filter, selection, and delete with undo.
import { useApolloClient, useQuery } from "@apollo/client/react";
import { useDeferredValue, useMemo, useState } from "react";
import { evictDeletedThings } from "../../apollo/evict-deleted-things.ts";
import {
  DeleteMatchingDocument,
  DeleteSelectionDocument,
  InboxDocument,
  type InboxThingFragment,
  type TrashedSelectionFragment,
} from "../gql/graphql.ts";
import { describeError } from "./errors.ts";
import { countThings, PageCheckbox, PagedThingList, pageState } from "./thing-list.tsx";
import { useSelection } from "./use-selection.ts";

const pageSize = 50;
const number = new Intl.NumberFormat();

export interface InboxProps {
  /** After a delete: the payload, and the rows that were on screen, so that Undo can put them back in place. */
  onDeleted: (payload: TrashedSelectionFragment, things: readonly InboxThingFragment[]) => void;
  onError: (text: string) => void;
}

export function Inbox({ onDeleted, onError }: InboxProps) {
  const client = useApolloClient();
  const [filterText, setFilterText] = useState("");
  const textContains = useDeferredValue(filterText.trim());
  const filter = textContains ? { textContains } : undefined;
  const query = useQuery(InboxDocument, {
    variables: { first: pageSize, filter },
    notifyOnNetworkStatusChange: true,
  });
  const { data, previousData } = query;
  const connection = (data ?? previousData)?.things;
  // Rows being deleted leave the screen at once, and come back if the server refuses.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const things = useMemo(
    () => (connection?.edges ?? []).map((edge) => edge.node).filter((thing) => !hidden.has(thing.id)),
    [connection, hidden],
  );
  const ids = useMemo(() => things.map((thing) => thing.id), [things]);
  const selection = useSelection(ids);
  const [allMatching, setAllMatching] = useState(false);
  const totalCount = connection?.totalCount ?? 0;
  const wholePage = ids.length > 0 && selection.ids.length === ids.length;
  const canSelectMatching = Boolean(textContains) && wholePage && totalCount > ids.length;
  const matching = allMatching && canSelectMatching;

  async function deleteSelected() {
    const selected = matching ? ids : selection.ids;
    if (selected.length === 0) return;
    const removed = things.filter((thing) => selected.includes(thing.id));
    setHidden(new Set(selected));
    selection.clear();
    setAllMatching(false);
    // The subscription's event corrects the counts, for this tab's deletes as for everyone's: count them once.
    const update = (payload: TrashedSelectionFragment) =>
      evictDeletedThings(client.cache, payload, { adjustCounts: false });
    try {
      const payload = matching
        ? (
            await client.mutate({
              mutation: DeleteMatchingDocument,
              variables: { where: { textContains }, atMost: totalCount },
              update: (_cache, { data }) => data && update(data.deleteThingsWhere),
            })
          ).data?.deleteThingsWhere
        : (
            await client.mutate({
              mutation: DeleteSelectionDocument,
              variables: { ids: [...selected] },
              update: (_cache, { data }) => data && update(data.deleteThings),
            })
          ).data?.deleteThings;
      if (payload) onDeleted(payload, removed);
    } catch (refused) {
      onError(describeError(refused));
    } finally {
      setHidden(new Set());
    }
  }

  const selectedCount = matching ? totalCount : selection.ids.length;
  const page = pageState(connection, query);
  return (
    <section className="view" aria-label="Inbox">
      <div className="toolbar">
        <PageCheckbox selection={selection} count={ids.length} />
        <input
          type="search"
          className="filter"
          placeholder="Filter by text"
          aria-label="Filter by text"
          value={filterText}
          onChange={(event) => {
            setFilterText(event.target.value);
            selection.clear();
            setAllMatching(false);
          }}
        />
        <span className="count" aria-live="polite">
          {selectedCount > 0 ? `${number.format(selectedCount)} selected` : countThings(totalCount)}
        </span>
        <button type="button" className="danger" disabled={selectedCount === 0} onClick={() => void deleteSelected()}>
          Delete
        </button>
      </div>
      {canSelectMatching && (
        <p className="banner">
          {matching ? (
            <>
              All {countThings(totalCount)} matching “{textContains}” are selected.{" "}
              <button type="button" className="link" onClick={() => setAllMatching(false)}>
                Select only this page
              </button>
            </>
          ) : (
            <>
              All {ids.length} on this page are selected.{" "}
              <button type="button" className="link" onClick={() => setAllMatching(true)}>
                Select all {number.format(totalCount)} matching
              </button>
            </>
          )}
        </p>
      )}
      <PagedThingList
        label="Things"
        rows={things}
        selection={selection}
        onDelete={() => void deleteSelected()}
        page={page}
        empty={textContains ? `No Things contain “${textContains}”.` : "No Things. All clear."}
      />
    </section>
  );
}
