/**
 * Cheap password hashing for test suites (HWT_SCRYPT_LOG2N, read once when
 * the password module loads). Imported first by test-app.ts: an assignment
 * in that module's body would run only after its imports had loaded the
 * server, too late.
 */
process.env.HWT_SCRYPT_LOG2N ??= '10';
