// GraphiQL at GET /graphql: the page a first-time user opens, with a document that tells the whole batch-delete
// story as named operations to run in order, and the page's assets served from this process (no CDN), because
// the server must work on machines without internet access.
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { GraphiQLOptions } from "graphql-yoga";

/**
 * The default editor content. Literals instead of variables, so every operation runs with one click; the ids
 * assume a fresh database, where CreateThings creates ids 1 to 4. test/graphiql-document.test.ts validates it
 * against the schema, so a schema change that breaks it fails the tests.
 */
export const graphiqlDocument = `# Things batch-delete API
# Press ▶ and pick an operation, in this order:
#   ListThings
#   CreateThings        ids 1-4 on a fresh database
#   DeleteThingsDryRun  nothing is deleted
#   DeleteThings        999 goes to notFoundIds
#   DeleteThingsWhere   the "draft" ones
#   DeleteAllThings     if expectedCount is right
# Watch ThingsDeleted in a new tab (+).

query ListThings {
  thingCount
  things(first: 20) {
    totalCount
    edges {
      node {
        id
        text
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}

mutation CreateThings {
  createThings(texts: ["invoice 1042", "draft: holiday plan", "draft: quarterly report", "newsletter"]) {
    count
    things {
      id
      text
    }
  }
}

mutation DeleteThingsDryRun {
  deleteThings(ids: ["1", "2", "999"], dryRun: true) {
    deletedCount
    deletedIds
    notFoundIds
    dryRun
  }
}

mutation DeleteThings {
  deleteThings(ids: ["1", "2", "999"]) {
    deletedCount
    deletedIds
    notFoundIds
    query {
      thingCount
    }
  }
}

mutation DeleteThingsWhere {
  deleteThingsWhere(where: { textContains: "draft" }, atMost: 10) {
    deletedCount
    deletedIds
  }
}

# COUNT_MISMATCH unless expectedCount is thingCount (1 by now).
mutation DeleteAllThings {
  deleteAllThings(expectedCount: 1) {
    deletedCount
    deletedIds
  }
}

subscription ThingsDeleted {
  thingsDeleted {
    ids
    count
    allThings
    at
  }
}
`;

export const graphiqlOptions = {
  title: "Things batch-delete API",
  defaultQuery: graphiqlDocument,
} satisfies GraphiQLOptions;

// Yoga's built-in page loads GraphiQL's JS, CSS and editor workers from unpkg.com and its favicon from GitHub.
// @graphql-yoga/render-graphiql renders the same page with all of them inlined (about 9 MB, a data: favicon), so
// GraphiQL works offline. Building that string per request costs time and memory for nothing: the options are
// the same for every request, so the page is rendered once per distinct options object.
const pages = new Map<string, string>();

export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (page === undefined) {
    page = renderGraphiQL(options);
    pages.set(key, page);
  }
  return page;
}
