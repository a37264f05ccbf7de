// A token pasted into the settings, kept in this browser's localStorage. Without one, the development server's
// proxy adds the API's development key on its side (web-config.ts); a production build has neither and needs one.
const storageKey = "things-api-token";

export function storedToken(): string | undefined {
  return window.localStorage.getItem(storageKey) ?? undefined;
}

export function storeToken(token: string): void {
  if (token) window.localStorage.setItem(storageKey, token);
  else window.localStorage.removeItem(storageKey);
}
