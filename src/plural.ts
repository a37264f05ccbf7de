// Counts in messages read as English: "1 Thing", "2 Things", "0 Things".

/** `count` and the noun in the number it takes; `plural` for nouns that do not just add an "s". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
