import crypto from 'node:crypto';
import { UuidV7Generator } from './uuid-v7.js';

const ids = new UuidV7Generator();

/** A row id: a time-ordered UUID (see UuidV7Generator). Ids name rows; they are not secrets. */
export const newId = (): string => ids.next();
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256Hex = (text: string): string => crypto.hash('sha256', text, 'hex');
