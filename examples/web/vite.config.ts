// `npm run example:web` and `npm run example:web:build`. API_URL is the API to proxy /graphql to; the token the
// proxy adds is THINGS_API_TOKEN, or else the development key `npm start` keeps in data/dev-api-key.
import { join } from "node:path";
import { defineConfig } from "vite";
import { developmentKeyFile, webConfig } from "./web-config.ts";

const fixedToken = process.env.THINGS_API_TOKEN;
const devKey = developmentKeyFile(join(import.meta.dirname, "..", "..", "data", "dev-api-key"));

export default defineConfig(
  webConfig({ apiUrl: process.env.API_URL ?? "http://127.0.0.1:4000", token: () => fixedToken ?? devKey() }),
);
