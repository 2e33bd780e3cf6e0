export * from './errors.js';
export * from './privileges.js';
export * from './common.js';
export * from './tokens.js';
export * from './auth.js';
export * from './directory.js';
