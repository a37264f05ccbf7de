// The trash: what was deleted with undo, when and by whom; restore, delete forever, empty the trash.
import { useApolloClient, useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { EmptyTrashDocument, PurgeThingsDocument, RestoreThingsDocument, TrashDocument } from "../gql/graphql.ts";
import { describeError } from "./errors.ts";
import { countThings, PageCheckbox, PagedThingList, pageState, type Row } from "./thing-list.tsx";
import { useSelection } from "./use-selection.ts";

const pageSize = 50;
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function Trash({ onDone, onError }: { onDone: (text: string) => void; onError: (text: string) => void }) {
  const client = useApolloClient();
  const query = useQuery(TrashDocument, {
    variables: { first: pageSize },
    notifyOnNetworkStatusChange: true,
  });
  const { data, previousData } = query;
  const connection = (data ?? previousData)?.trash;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo<Row[]>(
    () =>
      (connection?.edges ?? [])
        .map(({ node }) => ({
          id: node.id,
          text: node.text,
          detail: `deleted ${when.format(new Date(node.deletion.deletedAt))} by ${node.deletion.deletedBy}`,
        }))
        .filter((row) => !hidden.has(row.id)),
    [connection, hidden],
  );
  const ids = useMemo(() => rows.map((row) => row.id), [rows]);
  const selection = useSelection(ids);
  const totalCount = connection?.totalCount ?? 0;
  // While the trash is fetched again (after a restore or purge, here or elsewhere) the count shown is the old
  // one: emptying by it would only earn COUNT_MISMATCH, so the button waits for the fresh count.
  const countIsFresh = !query.loading;

  /** Runs one call on the selection; the rows leave the trash at once, and the thingsChanged event refetches it. */
  async function act(call: (ids: string[]) => Promise<string>) {
    const selected = [...selection.ids];
    if (selected.length === 0) return;
    setHidden(new Set(selected));
    selection.clear();
    try {
      onDone(await call(selected));
      for (const id of selected) client.cache.evict({ id: client.cache.identify({ __typename: "TrashedThing", id }) });
      client.cache.gc();
    } catch (refused) {
      onError(describeError(refused));
    } finally {
      setHidden(new Set());
    }
  }

  const restore = (ids: string[]) =>
    client
      .mutate({ mutation: RestoreThingsDocument, variables: { ids } })
      .then(({ data }) => `${countThings(data?.restoreThings.restoredCount ?? 0)} restored`);
  const purge = (ids: string[]) =>
    client
      .mutate({ mutation: PurgeThingsDocument, variables: { ids } })
      .then(({ data }) => `${countThings(data?.purgeThings.purgedCount ?? 0)} deleted forever`);

  async function emptyTrash() {
    if (!window.confirm(`Delete all ${countThings(totalCount)} in the trash forever?`)) return;
    try {
      // The shown count: if the trash changed meanwhile, the server refuses (COUNT_MISMATCH) rather than guess.
      const { data } = await client.mutate({ mutation: EmptyTrashDocument, variables: { expectedCount: totalCount } });
      onDone(`${countThings(data?.emptyTrash.purgedCount ?? 0)} deleted forever`);
    } catch (refused) {
      onError(describeError(refused));
    }
  }

  const none = selection.ids.length === 0;
  const page = pageState(connection, query);
  return (
    <section className="view" aria-label="Trash">
      <div className="toolbar">
        <PageCheckbox selection={selection} count={ids.length} />
        <span className="count" aria-live="polite">
          {none ? `${countThings(totalCount)} in the trash` : `${selection.ids.length} selected`}
        </span>
        <button type="button" disabled={none} onClick={() => void act(restore)}>
          Restore
        </button>
        <button type="button" className="danger" disabled={none} onClick={() => void act(purge)}>
          Delete forever
        </button>
        <button
          type="button"
          className="danger"
          disabled={totalCount === 0 || !countIsFresh}
          onClick={() => void emptyTrash()}
        >
          Empty trash
        </button>
      </div>
      <PagedThingList
        label="Trashed Things"
        rows={rows}
        selection={selection}
        onDelete={() => void act(purge)}
        page={page}
        empty="The trash is empty."
      />
    </section>
  );
}
