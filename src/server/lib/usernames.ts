import { AppError } from './app-error.js';
import { looksLikeId } from './ids.js';

/** Characters no name may hold: invisible (format), control, private-use and unassigned code points. */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

/**
 * A name that operators read in lists and the audit trail (an API key's name,
 * which is also its actor; a display name) holds no invisible or control
 * character: a newline or a right-to-left override would make it read as
 * something else.
 */
export function assertReadableName(text: string | undefined, field: string): void {
  if (text !== undefined && HIDDEN_CHARACTERS.test(text)) {
    throw new AppError('VALIDATION_FAILED', `The ${field} holds an invisible or control character.`, [{ ref: `body/${field}`, reason: 'invisible or control character' }]);
  }
}

/**
 * A new username (of a user or an operator) must read as what it is: no
 * zero-width or control characters, and nothing that Unicode normalization
 * (NFKC) would change, such as a decomposed "ü" or fullwidth letters. Else
 * "admin" and "admin" followed by a zero-width space, or the two spellings of
 * "jürgen", would be different people who look the same (RFC 8264 disallows
 * such characters in identifiers for this reason).
 */
export function assertReadableUsername(username: string): void {
  assertReadableName(username, 'username');
  if (looksLikeId(username)) {
    throw new AppError('VALIDATION_FAILED', 'A username cannot have the shape of an id (a UUID): look-ups take either.', [{ ref: 'body/username', reason: 'shaped like an id' }]);
  }
  if (username.normalize('NFKC') !== username) {
    throw new AppError('VALIDATION_FAILED', 'Write the username in its standard Unicode form (NFKC): no decomposed accents, fullwidth or compatibility characters.',
      [{ ref: 'body/username', reason: 'not in Unicode NFKC form' }]);
  }
}

/**
 * A request about a user (assign, verify) names it by id or by username.
 * Naming neither is bad input; so is naming both, which could be two users.
 */
export function assertUserNamed(ref: { userId?: string; username?: string }): void {
  if ((ref.userId === undefined) === (ref.username === undefined)) {
    throw new AppError('VALIDATION_FAILED', 'Name the user by userId or by username, not both.');
  }
}
