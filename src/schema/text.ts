// Validation of every text a client sends (Thing texts and `where` strings), before any SQL. The same rules on both
// databases, so a text is stored exactly as sent, or refused, and a filter matches only what it says.
import { badUserInput, ErrorCode, userError } from "../errors.ts";

export interface TextLimits {
  /** Most texts one createThings call may create (MAX_CREATE_TEXTS). */
  maxCreateTexts: number;
  /** Most Unicode code points in one text (MAX_TEXT_LENGTH). */
  maxTextLength: number;
}

/**
 * NUL, which PostgreSQL's text type cannot hold (an error there, a valid character in SQLite), and a lone UTF-16
 * surrogate, which has no UTF-8 form: PostgreSQL would store U+FFFD instead, so a filter with one would match
 * U+FFFD, and SQLite stores bytes no filter can match again. With the u flag a surrogate pair is one code point,
 * so only unpaired halves match \p{Cs}.
 */
const UNSTORABLE = /[\0\p{Cs}]/u;

/** More than `max` code points? A UTF-16 string has at least length / 2 code points and at most `length`. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  let codePoints = 0;
  for (const _ of text) if (++codePoints > max) return true;
  return false;
}

/** The text itself, or BAD_USER_INPUT naming the argument when it is too long or holds NUL or a lone surrogate. */
export function parseText(text: string, argumentName: string, maxLength: number): string {
  if (longerThan(text, maxLength)) {
    throw badUserInput(`${argumentName} is longer than MAX_TEXT_LENGTH (${maxLength} Unicode code points)`, {
      argumentName,
      maxLength,
    });
  }
  const unstorable = UNSTORABLE.exec(text);
  if (unstorable) {
    const index = unstorable.index;
    const what =
      unstorable[0] === "\0"
        ? "a NUL character (U+0000)"
        : `an unpaired UTF-16 surrogate (U+${text.charCodeAt(index).toString(16).toUpperCase()})`;
    throw badUserInput(`${argumentName} contains ${what} at index ${index}: texts must be valid Unicode without NUL`, {
      argumentName,
      index,
    });
  }
  return text;
}

/** createThings' texts: TOO_MANY_TEXTS over MAX_CREATE_TEXTS, then every text checked as parseText does. */
export function parseTexts(texts: readonly string[], argumentName: string, limits: TextLimits): readonly string[] {
  if (texts.length > limits.maxCreateTexts) {
    throw userError(
      ErrorCode.TOO_MANY_TEXTS,
      `${argumentName}: ${texts.length} texts, more than MAX_CREATE_TEXTS (${limits.maxCreateTexts}) in one call`,
      { argumentName, max: limits.maxCreateTexts },
    );
  }
  texts.forEach((text, index) => parseText(text, `${argumentName}[${index}]`, limits.maxTextLength));
  return texts;
}
