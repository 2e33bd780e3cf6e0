import crypto from 'node:crypto';
import { UuidV7Generator } from './uuid-v7.js';

const ids = new UuidV7Generator();

/** A row id: a time-ordered UUID (see UuidV7Generator). Ids name rows; they are not secrets. */
export const newId = (): string => ids.next();
/**
 * True for text shaped like a row id. Paths and filters take a user, token or
 * tenant by id or by its name (username, serial, slug), so no name may look
 * like an id: it would name two things.
 */
export const looksLikeId = (text: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256Hex = (text: string): string => crypto.hash('sha256', text, 'hex');
