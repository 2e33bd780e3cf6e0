import crypto from 'node:crypto';

export const newId = (): string => crypto.randomUUID();
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256Hex = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');
